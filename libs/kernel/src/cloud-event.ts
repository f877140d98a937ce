/** A CloudEvents 1.0 envelope in JSON structured mode, as agencies publish it (SPEC section 1). */
export interface CloudEvent<TData = Record<string, unknown>> {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  readonly time: string;
  readonly datacontenttype?: string;
  readonly data: TData;
}

export const agencySourcePrefix = 'agency:';

/** `agency:prison-hmp-northgate` -> `prison-hmp-northgate`; undefined when not an agency source. */
export function agencyIdOfSource(source: string): string | undefined {
  return source.startsWith(agencySourcePrefix) ? source.slice(agencySourcePrefix.length) : undefined;
}
