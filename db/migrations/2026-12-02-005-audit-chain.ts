import { type Kysely, sql } from 'kysely';

/**
 * Makes the audit trail tamper-evident. `claim_events` becomes append-only in the database itself (a
 * trigger refuses UPDATE and DELETE, whoever asks), and each row carries the hash of the previous row
 * of its claim plus its own hash over a canonical encoding, so a row altered or removed behind the
 * trigger's back (a superuser disabling it) breaks the chain at that row.
 *
 * The canonical encoding lives in one SQL function, `claim_event_hash`, used both by the writer
 * (db/claim-events.ts computes the hash in the insert) and by the verifier, so the two can never drift:
 * a jsonb array of the audited fields (jsonb's text form is deterministic: key order, spacing) with the
 * time in UTC at microsecond precision, prefixed by the previous row's hash.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are schema-agnostic by design (kysely docs)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table claim_events add column prev_hash bytea, add column hash bytea`.execute(db);

  await sql`
    create function claim_event_hash(
      prev_hash bytea, event_key text, claim_id uuid, practice_id text, at timestamptz, actor text,
      kind text, from_status text, to_status text, reason text, data jsonb, request_id text
    ) returns bytea language sql immutable as $$
      select sha256(coalesce(prev_hash, '\\x'::bytea) || convert_to(jsonb_build_array(
        event_key, claim_id::text, practice_id,
        to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        actor, kind, from_status, to_status, reason, data, request_id
      )::text, 'UTF8'))
    $$`.execute(db);

  // Rows written before this migration join the chain in their id order.
  await sql`
    do $$
    declare r record; last_claim uuid; last_hash bytea;
    begin
      for r in select * from claim_events order by claim_id, id loop
        if last_claim is distinct from r.claim_id then last_hash := null; last_claim := r.claim_id; end if;
        update claim_events set prev_hash = coalesce(last_hash, '\\x'::bytea),
          hash = claim_event_hash(coalesce(last_hash, '\\x'::bytea), r.event_key, r.claim_id, r.practice_id,
            r.at, r.actor, r.kind, r.from_status, r.to_status, r.reason, r.data, r.request_id)
          where id = r.id returning hash into last_hash;
      end loop;
    end $$`.execute(db);
  await sql`alter table claim_events alter column prev_hash set not null, alter column hash set not null`.execute(
    db,
  );

  await sql`
    create function claim_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'claim_events is append-only: % of event % refused', tg_op, old.id
        using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`
    create trigger claim_events_append_only before update or delete on claim_events
    for each row execute function claim_events_append_only()`.execute(db);

  // The first broken link of each claim in scope (a claim, a practice's claims, or every claim):
  // a row whose stored hash no longer matches its contents (altered), or whose prev_hash is not the
  // previous row's hash (a row removed, inserted or reordered).
  await sql`
    create function claim_events_verify(p_claim_id uuid default null, p_practice_id text default null)
    returns table (claim_id uuid, practice_id text, event_id bigint, problem text)
    language sql stable as $$
      with e as (
        select ce.id, ce.claim_id, c.practice_id, ce.prev_hash, ce.hash,
          coalesce(lag(ce.hash) over (partition by ce.claim_id order by ce.id), '\\x'::bytea) as expected_prev,
          claim_event_hash(ce.prev_hash, ce.event_key, ce.claim_id, ce.practice_id, ce.at, ce.actor, ce.kind,
            ce.from_status, ce.to_status, ce.reason, ce.data, ce.request_id) as recomputed
        from claim_events ce join claims c on c.id = ce.claim_id
        where (p_claim_id is null or ce.claim_id = p_claim_id)
          and (p_practice_id is null or c.practice_id = p_practice_id)
      ), bad as (
        select e.claim_id, e.practice_id, e.id,
          case
            when e.hash is distinct from e.recomputed then 'altered: the event no longer matches its hash'
            when e.prev_hash is distinct from e.expected_prev
              then 'chain broken: prev_hash is not the hash of the previous event (an event was removed or reordered)'
          end as problem
        from e
      )
      select distinct on (bad.claim_id) bad.claim_id, bad.practice_id, bad.id, bad.problem
      from bad where bad.problem is not null order by bad.claim_id, bad.id
    $$`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists claim_events_verify(uuid, text)`.execute(db);
  await sql`drop trigger if exists claim_events_append_only on claim_events`.execute(db);
  await sql`drop function if exists claim_events_append_only()`.execute(db);
  await sql`alter table claim_events drop column if exists prev_hash, drop column if exists hash`.execute(db);
  await sql`drop function if exists claim_event_hash(bytea, text, uuid, text, timestamptz, text, text, text, text, text, jsonb, text)`.execute(
    db,
  );
}
