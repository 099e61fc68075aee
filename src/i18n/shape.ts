// The shape every language's catalog must have: the English catalog's keys, each a string.
export type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
