// A secret the server shows only once (an integration token, a webhook secret): a read-only field
// to select, a copy button and the hint that it cannot be shown again; web app.
import { useState } from 'preact/hooks'
import { Field } from '../../components.js'
import { t } from '../../i18n/index.js'

export const ShownOnce = (props: { label: string; value: string; onDone: () => void }) => {
  const [copied, setCopied] = useState<boolean | undefined>(undefined)
  const copy = () =>
    void navigator.clipboard
      .writeText(props.value)
      .then(() => setCopied(true))
      .catch(() => setCopied(false))
  return (
    <div class="shown-once" data-shown-once>
      <Field label={props.label}>
        {(id) => (
          <input
            id={id}
            readOnly
            value={props.value}
            spellcheck={false}
            onFocus={(e) => e.currentTarget.select()}
          />
        )}
      </Field>
      <p>{t('adm_shownOnce')}</p>
      <div class="buttons">
        <button type="button" onClick={copy}>
          {t('adm_copy')}
        </button>
        <button type="button" onClick={props.onDone}>
          {t('adm_copiedDone')}
        </button>
      </div>
      <p role="status">
        {copied === true ? t('adm_copied') : copied === false ? t('adm_copyFailed') : ''}
      </p>
    </div>
  )
}
