import type { TemplateDefinition } from './types'
import { learningQuestions } from './templates/learning-questions'
import { lemniscaat } from './templates/lemniscaat'
import { comedy } from './templates/comedy'
import { opgroeiruimte } from './templates/opgroeiruimte'
import { accord } from './templates/accord'

/** The registry, in gallery order. Adding a template = one module + one line here (SPEC rule 1). */
export const templates: readonly TemplateDefinition[] = [learningQuestions, lemniscaat, comedy, opgroeiruimte, accord]

export function getTemplate(id: string): TemplateDefinition | undefined {
  return templates.find((t) => t.id === id)
}
