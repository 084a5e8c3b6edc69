// Every string the UI shows goes through here, in English, French and Spanish.
import { getContext, setContext } from 'svelte';

export type Locale = 'en' | 'fr' | 'es';
export const LOCALES: Locale[] = ['en', 'fr', 'es'];

const en = {
  'app.loading': 'Loading…',
  'app.noCommunity': 'No community yet',
  'app.noCommunityHint': 'Run `tend init --name NAME` or `tend demo`, then reopen Tend.',
  'app.language': 'Language',
  'nav.label': 'Sections',
  'nav.members': 'Members',
  'overview.members': 'members',
  'overview.activities': 'activities',
  'overview.launched': 'Launched {date}',
  'members.title': 'Members',
  'members.search': 'Search members',
  'members.searchPlaceholder': 'Name, country or organisation',
  'members.role': 'Role',
  'members.country': 'Country',
  'members.organisation': 'Organisation',
  'members.any': 'Any',
  'members.shown': '{shown} of {total} members',
  'members.none': 'No member matches these filters.',
  'members.clear': 'Clear filters',
  'col.name': 'Name',
  'col.role': 'Role',
  'col.country': 'Country',
  'col.organisation': 'Organisation',
  'col.lastActive': 'Last active',
  'col.activities': 'Activities',
  'member.back': 'Back to members',
  'member.details': 'Details',
  'member.name': 'Name',
  'member.email': 'E-mail',
  'member.language': 'Language (two letters)',
  'member.joined': 'Joined',
  'member.notes': 'Notes',
  'member.save': 'Save',
  'member.saving': 'Saving…',
  'member.saved': 'Saved.',
  'member.identities': 'Identities',
  'member.noIdentities': 'No identities yet.',
  'member.timeline': 'Recent activity',
  'member.noActivity': 'No activity yet.',
  'member.activityCount': '{count} activities in all',
  'member.never': 'never',
  'role.leader': 'Leader',
  'role.facilitator': 'Facilitator',
  'role.member': 'Member',
  'role.sponsor': 'Sponsor',
  'role.champion': 'Champion',
  'kind.post': 'posted',
  'kind.reply': 'replied',
  'kind.reaction': 'reacted',
  'kind.attendance': 'attended',
  'kind.join': 'joined',
  'error.title': 'Something went wrong',
  'error.dismiss': 'Dismiss',
  'error.db_open': 'Tend could not open its database.',
  'error.db': 'The database reported a problem.',
  'error.migrate': 'The database could not be updated to this version of Tend.',
  'error.unknown_role': 'That role does not exist.',
  'error.not_found': 'That member no longer exists.',
  'error.ambiguous_id': 'That id matches several members.',
  'error.invalid_value': 'A value is not in the expected form.',
  'error.no_community': 'There is no community yet.',
  'error.not_empty': 'The database already holds a community.',
  'error.internal': 'Tend could not reach its core.',
};

export type MessageKey = keyof typeof en;
type Messages = Record<MessageKey, string>;

const fr: Messages = {
  'app.loading': 'Chargement…',
  'app.noCommunity': 'Pas encore de communauté',
  'app.noCommunityHint': 'Lancez `tend init --name NOM` ou `tend demo`, puis rouvrez Tend.',
  'app.language': 'Langue',
  'nav.label': 'Rubriques',
  'nav.members': 'Membres',
  'overview.members': 'membres',
  'overview.activities': 'activités',
  'overview.launched': 'Lancée le {date}',
  'members.title': 'Membres',
  'members.search': 'Rechercher des membres',
  'members.searchPlaceholder': 'Nom, pays ou organisation',
  'members.role': 'Rôle',
  'members.country': 'Pays',
  'members.organisation': 'Organisation',
  'members.any': 'Tous',
  'members.shown': '{shown} membres sur {total}',
  'members.none': 'Aucun membre ne correspond à ces filtres.',
  'members.clear': 'Effacer les filtres',
  'col.name': 'Nom',
  'col.role': 'Rôle',
  'col.country': 'Pays',
  'col.organisation': 'Organisation',
  'col.lastActive': 'Dernière activité',
  'col.activities': 'Activités',
  'member.back': 'Retour aux membres',
  'member.details': 'Informations',
  'member.name': 'Nom',
  'member.email': 'Courriel',
  'member.language': 'Langue (deux lettres)',
  'member.joined': 'Arrivée',
  'member.notes': 'Notes',
  'member.save': 'Enregistrer',
  'member.saving': 'Enregistrement…',
  'member.saved': 'Enregistré.',
  'member.identities': 'Identités',
  'member.noIdentities': 'Aucune identité pour l’instant.',
  'member.timeline': 'Activité récente',
  'member.noActivity': 'Aucune activité pour l’instant.',
  'member.activityCount': '{count} activités au total',
  'member.never': 'jamais',
  'role.leader': 'Responsable',
  'role.facilitator': 'Animateur·rice',
  'role.member': 'Membre',
  'role.sponsor': 'Parrain·e',
  'role.champion': 'Ambassadeur·rice',
  'kind.post': 'a publié',
  'kind.reply': 'a répondu',
  'kind.reaction': 'a réagi',
  'kind.attendance': 'a participé',
  'kind.join': 'a rejoint',
  'error.title': 'Un problème est survenu',
  'error.dismiss': 'Fermer',
  'error.db_open': 'Tend n’a pas pu ouvrir sa base de données.',
  'error.db': 'La base de données a signalé un problème.',
  'error.migrate': 'La base de données n’a pas pu être mise à jour pour cette version de Tend.',
  'error.unknown_role': 'Ce rôle n’existe pas.',
  'error.not_found': 'Ce membre n’existe plus.',
  'error.ambiguous_id': 'Cet identifiant correspond à plusieurs membres.',
  'error.invalid_value': 'Une valeur n’a pas la forme attendue.',
  'error.no_community': 'Il n’y a pas encore de communauté.',
  'error.not_empty': 'La base de données contient déjà une communauté.',
  'error.internal': 'Tend n’a pas pu joindre son cœur.',
};

const es: Messages = {
  'app.loading': 'Cargando…',
  'app.noCommunity': 'Todavía no hay comunidad',
  'app.noCommunityHint': 'Ejecute `tend init --name NOMBRE` o `tend demo` y vuelva a abrir Tend.',
  'app.language': 'Idioma',
  'nav.label': 'Secciones',
  'nav.members': 'Miembros',
  'overview.members': 'miembros',
  'overview.activities': 'actividades',
  'overview.launched': 'Lanzada el {date}',
  'members.title': 'Miembros',
  'members.search': 'Buscar miembros',
  'members.searchPlaceholder': 'Nombre, país u organización',
  'members.role': 'Rol',
  'members.country': 'País',
  'members.organisation': 'Organización',
  'members.any': 'Todos',
  'members.shown': '{shown} de {total} miembros',
  'members.none': 'Ningún miembro coincide con estos filtros.',
  'members.clear': 'Quitar filtros',
  'col.name': 'Nombre',
  'col.role': 'Rol',
  'col.country': 'País',
  'col.organisation': 'Organización',
  'col.lastActive': 'Última actividad',
  'col.activities': 'Actividades',
  'member.back': 'Volver a miembros',
  'member.details': 'Datos',
  'member.name': 'Nombre',
  'member.email': 'Correo',
  'member.language': 'Idioma (dos letras)',
  'member.joined': 'Ingreso',
  'member.notes': 'Notas',
  'member.save': 'Guardar',
  'member.saving': 'Guardando…',
  'member.saved': 'Guardado.',
  'member.identities': 'Identidades',
  'member.noIdentities': 'Aún no hay identidades.',
  'member.timeline': 'Actividad reciente',
  'member.noActivity': 'Aún no hay actividad.',
  'member.activityCount': '{count} actividades en total',
  'member.never': 'nunca',
  'role.leader': 'Líder',
  'role.facilitator': 'Facilitador/a',
  'role.member': 'Miembro',
  'role.sponsor': 'Patrocinador/a',
  'role.champion': 'Referente',
  'kind.post': 'publicó',
  'kind.reply': 'respondió',
  'kind.reaction': 'reaccionó',
  'kind.attendance': 'asistió',
  'kind.join': 'se unió',
  'error.title': 'Algo salió mal',
  'error.dismiss': 'Cerrar',
  'error.db_open': 'Tend no pudo abrir su base de datos.',
  'error.db': 'La base de datos informó de un problema.',
  'error.migrate': 'No se pudo actualizar la base de datos a esta versión de Tend.',
  'error.unknown_role': 'Ese rol no existe.',
  'error.not_found': 'Ese miembro ya no existe.',
  'error.ambiguous_id': 'Ese identificador coincide con varios miembros.',
  'error.invalid_value': 'Un valor no tiene la forma esperada.',
  'error.no_community': 'Todavía no hay comunidad.',
  'error.not_empty': 'La base de datos ya contiene una comunidad.',
  'error.internal': 'Tend no pudo comunicarse con su núcleo.',
};

export const MESSAGES: Record<Locale, Messages> = { en, fr, es };

/** Translates `key` into `locale`, filling `{name}` placeholders from `params`. */
export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = MESSAGES[locale][key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The locale that best matches the system's languages, English when none does. */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0] as Locale;
    if (LOCALES.includes(base)) return base;
  }
  return 'en';
}

/** What components read from context to translate. */
export interface I18n {
  readonly locale: Locale;
  t(key: MessageKey, params?: Record<string, string | number>): string;
}

const KEY = Symbol('i18n');

/** Makes `i18n` available to every component below the caller. */
export function provideI18n(i18n: I18n): void {
  setContext(KEY, i18n);
}

/** The i18n given by an ancestor, or English when none was (e.g. in a unit test). */
export function useI18n(): I18n {
  return (
    getContext<I18n | undefined>(KEY) ?? {
      locale: 'en',
      t: (key, params) => translate('en', key, params),
    }
  );
}
