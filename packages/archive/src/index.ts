export * from './lifecycle'
export * from './compare'
export * from './render-svg'
export * from './tldr'
