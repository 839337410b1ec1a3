import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// The publication scheme (FOIA s.19(1)-(3), s.20; FOISA s.23): the classes of the ICO's model publication
// scheme, seeded in the model's order with its descriptions, and the guide to information — what the
// authority publishes in each class, how it is available (a web address, on request by email or post, the
// disclosure log, a released statistics table), any charge, and when it was last reviewed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table publication_scheme_classes (
      id serial primary key,
      position int not null unique,
      title text not null,
      description text not null
    );
    insert into publication_scheme_classes (position, title, description) values
      (1, 'Who we are and what we do', 'Organisational information, locations and contacts, constitutional and legal governance.'),
      (2, 'What we spend and how we spend it', 'Financial information relating to projected and actual income and expenditure, tendering, procurement and contracts.'),
      (3, 'What our priorities are and how we are doing', 'Strategy and performance information, plans, assessments, inspections and reviews.'),
      (4, 'How we make decisions', 'Policy proposals and decisions. Decision making processes, internal criteria and procedures, consultations.'),
      (5, 'Our policies and procedures', 'Current written protocols for delivering our functions and responsibilities.'),
      (6, 'Lists and registers', 'Information held in registers required by law and other lists and registers relating to the functions of the authority.'),
      (7, 'The services we offer', 'Advice and guidance, booklets and leaflets, transactions and media releases. A description of the services offered.');
    create table publication_scheme_entries (
      id serial primary key,
      class_id int not null references publication_scheme_classes (id),
      title text not null,
      description text not null default '',
      availability text not null check (availability in ('web', 'on-request', 'disclosure-log', 'statistics')),
      url text,
      release_id int references statistics_releases (id),
      charge text not null default '',
      reviewed_on date not null,
      reviewed_by text not null
    );
    create index publication_scheme_entries_by_class on publication_scheme_entries (class_id, title);
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
