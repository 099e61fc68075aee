// An answer already serialized (by PostgreSQL, for the pull feed): the server sends the text as
// it is instead of building JS objects only to stringify them again. T names the wire schema the
// text satisfies, so route code stays typed.
export class JsonText<T> {
  declare readonly shape?: T;
  constructor(readonly text: string) {}
}
