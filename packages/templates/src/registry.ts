import type { TemplateDefinition } from './types'
export const templates: readonly TemplateDefinition[] = []
export function getTemplate(id: string): TemplateDefinition | undefined {
  return templates.find((t) => t.id === id)
}
