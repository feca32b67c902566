import { createContext, useContext } from 'react';
import { en } from './messages-en.js';
import { zh } from './messages-zh.js';

/** Every UI string exists in both languages: `zh` is typed against the keys of `en`. */
export type MessageKey = keyof typeof en;
export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
const DICTS: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zh };

export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

export function translator(lang: Lang): Translate {
  const dict = DICTS[lang];
  return (key, params) => {
    const text = dict[key];
    return params === undefined ? text : text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

/** The browser's preferred language if it is one of ours (Chinese first), else zh-CN. */
export function initialLang(): Lang {
  const prefs = navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  for (const p of prefs) {
    if (p.toLowerCase().startsWith('zh')) return 'zh-CN';
    if (p.toLowerCase().startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

export interface LangState {
  readonly lang: Lang;
  readonly t: Translate;
  readonly setLang: (lang: Lang) => void;
}

export const LangContext = createContext<LangState>({ lang: 'zh-CN', t: translator('zh-CN'), setLang: () => undefined });

export function useT(): Translate {
  return useContext(LangContext).t;
}

export function useLang(): LangState {
  return useContext(LangContext);
}

/** Dates and times in the viewer's time zone, in the UI language. */
export function formatTime(lang: Lang, iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(lang, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
