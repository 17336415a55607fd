import { createRoot } from 'react-dom/client'
import { App } from './App'
import './app.css'
import { captureToken } from './token'
import { silenceBlockedLicenceTracking } from './board/LicenceNotice'
import { prepareBoardOpening } from './board/early'

// before anything renders or any library reads location.href: the token leaves the address bar
captureToken()
addEventListener('hashchange', captureToken)
silenceBlockedLicenceTracking()
prepareBoardOpening()

createRoot(document.getElementById('root')!).render(<App />)
