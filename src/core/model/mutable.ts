// The writable form of a readonly type, for an object the core builds field by field before it hands
// it out as readonly; core layer.

export type Mutable<T> = { -readonly [K in keyof T]: T[K] }
