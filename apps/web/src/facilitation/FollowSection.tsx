/** Facilitator: bring everyone here (once), keep everyone with me (summon) and release. */
import { bringEveryone, release, summon } from '@copboard/board'
import { useT } from '../i18n'
import { facilitationMessages } from './messages'
import { useFacilitation } from './context'
import { currentView } from './useTemplate'
import { IconGather, IconLock, IconUnlock } from './icons'

export function FollowSection() {
  const t = useT(facilitationMessages)
  const { editor, conn, session, writer } = useFacilitation()
  const follow = session.follow
  const me = conn.doc.clientID
  return (
    <div className="cb-fac-follow" data-testid="follow-section">
      <button type="button" className="cb-fac-primary" onClick={() => writer.setFollow(bringEveryone(follow, currentView(editor), me))} aria-describedby="cb-bring-hint" data-testid="bring-everyone">
        <IconGather /> {t('bringHere')}
      </button>
      <p id="cb-bring-hint" className="cb-fac-hint">
        {t('bringHereHint')}
      </p>
      {follow?.locked ? (
        <button type="button" onClick={() => writer.setFollow(release(follow))} aria-pressed="true" data-testid="release-summon">
          <IconUnlock /> {t('releaseSummon')}
        </button>
      ) : (
        <button type="button" onClick={() => writer.setFollow(summon(follow, currentView(editor), me))} aria-pressed="false" aria-describedby="cb-summon-hint" data-testid="summon">
          <IconLock /> {t('summon')}
        </button>
      )}
      <p id="cb-summon-hint" className="cb-fac-hint">
        {follow?.locked ? t('summoned') : t('summonHint')}
      </p>
      {!!follow?.bringSeq && (
        <p className="cb-fac-hint" role="status">
          {t('broughtCount', { n: follow.bringSeq })}
        </p>
      )}
    </div>
  )
}
