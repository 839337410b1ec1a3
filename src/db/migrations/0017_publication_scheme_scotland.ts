import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// A Scottish public authority adopts the Scottish Information Commissioner's model publication scheme (FOISA
// s.23), whose nine classes differ from the ICO's seven (FOIA s.19-20). Each class now names its scheme; the
// guide shows the classes of the scheme for the authority's jurisdiction.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    alter table publication_scheme_classes
      add column scheme text not null default 'ico' check (scheme in ('ico', 'sic'));
    alter table publication_scheme_classes drop constraint publication_scheme_classes_position_key;
    create unique index publication_scheme_classes_in_order on publication_scheme_classes (scheme, position);
    insert into publication_scheme_classes (scheme, position, title, description) values
      ('sic', 1, 'About the authority', 'Who we are, where to find us, how to contact us, how we are managed and our external relations.'),
      ('sic', 2, 'How we deliver our functions and services', 'Our work, our strategy and policies for delivering our functions and services, and information for the people who use them.'),
      ('sic', 3, 'How we take decisions and what we have decided', 'The decisions we take, how we make them and how we involve others.'),
      ('sic', 4, 'What we spend and how we spend it', 'How we plan and manage our finances, in enough detail to show how we plan to spend public money and what we have spent.'),
      ('sic', 5, 'How we manage our human, physical and information resources', 'How we manage our staff, our buildings and other assets, and our information.'),
      ('sic', 6, 'How we procure goods and services from external providers', 'How we buy goods and services, and our contracts with the providers.'),
      ('sic', 7, 'How we are performing', 'How we perform as an organisation and how well we deliver our functions and services.'),
      ('sic', 8, 'Our commercial publications', 'Information we publish for sale on a commercial basis.'),
      ('sic', 9, 'Our open data', 'Data we publish under an open licence, for anyone to reuse.');
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
