// User Mood (XEP-0107) and Närvaro's mood, which is free text: a mood naming one of XEP-0107's values
// ("happy", "in awe") is that value, "happy: sunny day" is the value with its text, anything else is
// `<undefined/>` with the mood as text; the other way round the same. Transport layer.
import type { Element } from 'ltx'
import { escapeXML } from 'ltx'

export const moodNs = 'http://jabber.org/protocol/mood'

/** Most characters of a mood a source may publish (as over REST). */
export const maxMoodLength = 50

/** The mood values of XEP-0107 §11 (its XML schema). */
export const moodValues: ReadonlySet<string> = new Set(
  (
    'afraid amazed amorous angry annoyed anxious aroused ashamed bored brave calm cautious cold ' +
    'confident confused contemplative contented cranky crazy creative curious dejected depressed ' +
    'disappointed disgusted dismayed distracted embarrassed envious excited flirtatious frustrated ' +
    'grateful grieving grumpy guilty happy hopeful hot humbled humiliated hungry hurt impressed ' +
    'in_awe in_love indignant interested intoxicated invincible jealous lonely lost lucky mean moody ' +
    'nervous neutral offended outraged playful proud relaxed relieved remorseful restless sad ' +
    'sarcastic satisfied serious shocked shy sick sleepy spontaneous stressed strong surprised ' +
    'thankful thirsty tired undefined weak worried'
  ).split(' '),
)

/** The XEP-0107 value a phrase names ("In awe" is `in_awe`), if any; `undefined` is never named. */
const valueOf = (phrase: string): string | undefined => {
  const value = phrase.trim().toLowerCase().replace(/\s+/g, '_')
  return value !== 'undefined' && moodValues.has(value) ? value : undefined
}

/** A Närvaro mood as XEP-0107 value and text. */
export const moodParts = (mood: string): { value: string; text?: string } => {
  const whole = valueOf(mood)
  if (whole) return { value: whole }
  const colon = mood.indexOf(':')
  const head = colon > 0 ? valueOf(mood.slice(0, colon)) : undefined
  const rest = colon > 0 ? mood.slice(colon + 1).trim() : ''
  if (head && rest) return { value: head, text: rest }
  return { value: 'undefined', text: mood }
}

/** The `<mood/>` payload of a view's mood; an empty one when the view holds none (XEP-0107 §3.2). */
export const moodXml = (mood: string | undefined): string => {
  if (mood === undefined || mood.trim() === '') return `<mood xmlns="${moodNs}"/>`
  const { value, text } = moodParts(mood)
  const body = `<${value}/>` + (text ? `<text>${escapeXML(text)}</text>` : '')
  return `<mood xmlns="${moodNs}">${body}</mood>`
}

/**
 * The Närvaro mood of a published `<mood/>`: the value in words, "value: text" with a text, the text
 * alone with `<undefined/>`; none for an empty element; `bad-request` for an unknown value.
 */
export const moodOfPayload = (payload: Element): string | undefined | 'bad-request' => {
  const text = payload.getChildText('text')?.trim() ?? ''
  const values = payload.getChildElements().filter((child) => child.name !== 'text')
  if (values.length === 0) return text ? 'bad-request' : undefined
  const value = values[0]!.name
  if (values.length > 1 || !moodValues.has(value)) return 'bad-request'
  const words = value.replace(/_/g, ' ')
  const mood = value === 'undefined' ? text : text ? `${words}: ${text}` : words
  return mood ? mood.slice(0, maxMoodLength) : undefined
}
