// Strings of the admin screens in English and Swedish: the same keys in both tables; web app.
export const en = {} as const

export const sv: Record<keyof typeof en, string> = {}
