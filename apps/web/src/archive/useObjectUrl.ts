/** An object URL for a Blob loaded once per `key`; revoked when the key changes or the component unmounts. */
import { useEffect, useState } from 'react'

export function useObjectUrl(load: (() => Promise<Blob>) | null, key: string): string | null {
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    if (!load) return
    let u: string | null = null
    let alive = true
    load()
      .then((b) => {
        if (!alive) return
        u = URL.createObjectURL(b)
        setUrl(u)
      })
      .catch(() => setUrl(null))
    return () => {
      alive = false
      if (u) URL.revokeObjectURL(u)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  return url
}
