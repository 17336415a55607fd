export { FacilitationLayer } from './FacilitationLayer'
export { FacilitatorPanel } from './FacilitatorPanel'
export { serverClock, useServerNow } from './serverClock'
