// The delivery log of one webhook endpoint: the latest attempts, newest first, with their status
// or error and duration; web app.
import { useEffect, useState } from 'preact/hooks'
import { Alert, useAction } from '../../components.js'
import { formatTime, t } from '../../i18n/index.js'
import { adminApi, type Delivery, type Webhook } from './admin-api.js'

const outcomeOf = (delivery: Delivery): string =>
  delivery.error ?? (delivery.statusCode === undefined ? t('none') : `HTTP ${delivery.statusCode}`)

export const DeliveryLog = (props: { hook: Webhook; onClose: () => void }) => {
  const [log, setLog] = useState<readonly Delivery[] | undefined>(undefined)
  const { error, run } = useAction()
  const load = () => void run(async () => setLog(await adminApi.deliveries(props.hook.id)))
  useEffect(load, [props.hook.id])
  return (
    <section aria-labelledby="deliveries-title" class="deliveries">
      <h3 id="deliveries-title">{t('adm_deliveriesOf', { url: props.hook.url })}</h3>
      <div class="buttons">
        <button type="button" onClick={load}>
          {t('refresh')}
        </button>
        <button type="button" onClick={props.onClose}>
          {t('adm_close')}
        </button>
      </div>
      {log?.length === 0 ? <p>{t('adm_noDeliveries')}</p> : null}
      {log && log.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('adm_when')}</th>
              <th scope="col">{t('adm_eventType')}</th>
              <th scope="col">{t('adm_attempt')}</th>
              <th scope="col">{t('adm_outcome')}</th>
              <th scope="col">{t('adm_duration')}</th>
            </tr>
          </thead>
          <tbody>
            {log.map((d) => (
              <tr
                key={d.id}
                data-delivery={d.statusCode !== undefined && d.statusCode < 300 ? 'ok' : 'failed'}
              >
                <td>{formatTime(d.at)}</td>
                <td>{d.eventType}</td>
                <td>{d.attempt}</td>
                <td class="wrap">{outcomeOf(d)}</td>
                <td>{t('adm_ms', { ms: d.durationMs })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Alert error={error} />
    </section>
  )
}
