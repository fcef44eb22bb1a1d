// The labelled inputs of the screens' forms: a text field, a select of fixed choices, a checkbox,
// a fieldset of checkboxes, a form named by its heading, and a one-line address form; web app.
import type { ComponentChildren } from 'preact'
import { Field } from './components.js'

interface InputProps {
  name?: string
  type?: 'email' | 'password' | 'number' | 'url' | 'datetime-local'
  required?: boolean
  autoComplete?: string
  maxLength?: number
  min?: number
  max?: number
}

/** An input with its label; any other attribute (name, type, required...) goes to the input. */
export const TextField = (
  props: InputProps & { label: string; value: string; set: (value: string) => void },
) => {
  const { label, value, set, ...attributes } = props
  return (
    <Field label={label}>
      {(id) => (
        <input
          id={id}
          {...attributes}
          // Preact types an input's attributes by its type, one type at a time.
          type={attributes.type as 'text'}
          value={value}
          onInput={(e) => set(e.currentTarget.value)}
        />
      )}
    </Field>
  )
}

/** A select of fixed choices, each with its text; `unset` names a first choice of none (''). */
export const Choice = <T extends string>(props: {
  label: string
  name?: string
  value: T
  choices: readonly T[]
  text: (choice: T) => string
  set: (value: T) => void
  unset?: string
}) => (
  <Field label={props.label}>
    {(id) => (
      <select
        id={id}
        name={props.name}
        value={props.value}
        onChange={(e) => props.set(e.currentTarget.value as T)}
      >
        {props.unset === undefined ? null : <option value="">{props.unset}</option>}
        {props.choices.map((choice) => (
          <option key={choice} value={choice}>
            {props.text(choice)}
          </option>
        ))}
      </select>
    )}
  </Field>
)

/** A checkbox with its label after it. */
export const Check = (props: {
  label: string
  checked: boolean
  set: (checked: boolean) => void
  name?: string
  value?: string
}) => (
  <label class="check">
    <input
      type="checkbox"
      name={props.name}
      value={props.value}
      checked={props.checked}
      onChange={(e) => props.set(e.currentTarget.checked)}
    />{' '}
    {props.label}
  </label>
)

/** A fieldset of checkboxes, one a choice; `chosen` are the checked ones, in the order checked. */
export const CheckList = <T extends string>(props: {
  legend: string
  choices: readonly T[]
  chosen: readonly T[]
  text: (choice: T) => string
  set: (chosen: T[]) => void
  /** The name of a choice's checkbox, if it needs one. */
  name?: (choice: T) => string
  /** Said before the choices (when there are none, say). */
  children?: ComponentChildren
}) => (
  <fieldset>
    <legend>{props.legend}</legend>
    {props.children}
    {props.choices.map((choice) => (
      <Check
        key={choice}
        label={props.text(choice)}
        name={props.name?.(choice)}
        value={choice}
        checked={props.chosen.includes(choice)}
        set={(on) =>
          props.set(on ? [...props.chosen, choice] : props.chosen.filter((c) => c !== choice))
        }
      />
    ))}
  </fieldset>
)

/** A form named by its heading; submitting runs `onSubmit` (the page stays). */
export const TitledForm = (props: {
  id: string
  title: string
  heading?: 'h2' | 'h3' | 'h4'
  onSubmit: (form: HTMLFormElement) => void
  children: ComponentChildren
}) => {
  const Heading = props.heading ?? 'h3'
  return (
    <form
      aria-labelledby={props.id}
      onSubmit={(event) => {
        event.preventDefault()
        props.onSubmit(event.currentTarget)
      }}
    >
      <Heading id={props.id}>{props.title}</Heading>
      {props.children}
    </form>
  )
}

/** A one-line form that asks for an address: the field, its button, then `children` (a message). */
export const AddressForm = (props: {
  /** The form's accessible name, where it has one. */
  title?: string
  label: string
  name: string
  value: string
  set: (value: string) => void
  submit: string
  onSubmit: () => void
  children?: ComponentChildren
}) => (
  <form
    class="inline"
    aria-label={props.title}
    onSubmit={(event) => {
      event.preventDefault()
      props.onSubmit()
    }}
  >
    <TextField
      label={props.label}
      name={props.name}
      type="email"
      required
      value={props.value}
      set={props.set}
    />
    <button type="submit">{props.submit}</button>
    {props.children}
  </form>
)
