/** Shape of a resource file: nested keys, string leaves. Plural keys carry i18next's suffixes (_one, _many, _other). */
export type Messages = { readonly [key: string]: string | Messages };
