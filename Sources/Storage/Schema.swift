import SQLite

/// The database schema as ordered, named, append-only migrations.
///
/// A migration that has shipped is never edited: a change is a new migration at the end, so
/// every database in the field reaches the same schema by the same steps. Tables are `STRICT`
/// so a value of the wrong type is an error instead of silently stored.
public enum Schema {
    public static let migrations: [Migration] = [
        Migration(name: "0001-departments-patients-invitations-responses", sql: """
            CREATE TABLE departments (
                id INTEGER PRIMARY KEY,
                sor_code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                phone TEXT NOT NULL
            ) STRICT;

            CREATE TABLE patients (
                id INTEGER PRIMARY KEY,
                cpr TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                language TEXT NOT NULL DEFAULT 'da',
                department_id INTEGER NOT NULL REFERENCES departments(id)
            ) STRICT;

            CREATE TABLE invitations (
                id INTEGER PRIMARY KEY,
                token_hash BLOB NOT NULL UNIQUE,
                patient_id INTEGER NOT NULL REFERENCES patients(id),
                questionnaire_url TEXT NOT NULL,
                questionnaire_version TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL
            ) STRICT;

            CREATE TABLE drafts (
                invitation_id INTEGER PRIMARY KEY REFERENCES invitations(id),
                answers_json TEXT NOT NULL,
                language TEXT NOT NULL,
                resume_page INTEGER,
                updated_at TEXT NOT NULL
            ) STRICT;

            CREATE TABLE questionnaire_responses (
                id INTEGER PRIMARY KEY,
                resource_id TEXT NOT NULL UNIQUE,
                invitation_id INTEGER NOT NULL UNIQUE REFERENCES invitations(id),
                patient_id INTEGER NOT NULL REFERENCES patients(id),
                questionnaire_url TEXT NOT NULL,
                questionnaire_version TEXT NOT NULL,
                authored TEXT NOT NULL,
                resource_json TEXT NOT NULL
            ) STRICT;

            CREATE TABLE response_answers (
                response_id INTEGER NOT NULL REFERENCES questionnaire_responses(id),
                link_id TEXT NOT NULL,
                position INTEGER NOT NULL,
                value_type TEXT NOT NULL,
                value_text TEXT,
                value_number TEXT,
                value_system TEXT,
                value_code TEXT,
                PRIMARY KEY (response_id, link_id, position)
            ) STRICT;

            CREATE INDEX questionnaire_responses_by_patient
                ON questionnaire_responses(patient_id, authored);
            """),
        Migration(name: "0002-response-triage", sql: """
            CREATE TABLE response_triage (
                response_id INTEGER PRIMARY KEY REFERENCES questionnaire_responses(id),
                colour TEXT NOT NULL CHECK (colour IN ('green', 'yellow', 'red')),
                findings_json TEXT NOT NULL
            ) STRICT;

            CREATE INDEX response_triage_by_colour ON response_triage(colour);
            """),
        Migration(name: "0003-threshold-overrides", sql: """
            CREATE TABLE threshold_overrides (
                id INTEGER PRIMARY KEY,
                patient_id INTEGER NOT NULL REFERENCES patients(id),
                questionnaire_url TEXT NOT NULL,
                rule_id TEXT NOT NULL,
                threshold TEXT,
                set_by TEXT NOT NULL,
                set_at TEXT NOT NULL,
                reason TEXT
            ) STRICT;

            CREATE INDEX threshold_overrides_by_patient
                ON threshold_overrides(patient_id, questionnaire_url, rule_id, id);
            """),
        Migration(name: "0004-response-scores-and-flags", sql: """
            CREATE TABLE response_scores (
                response_id INTEGER NOT NULL REFERENCES questionnaire_responses(id),
                link_id TEXT NOT NULL,
                code_system TEXT,
                code TEXT,
                value TEXT,
                unit TEXT,
                band TEXT,
                PRIMARY KEY (response_id, link_id)
            ) STRICT;

            CREATE TABLE response_flags (
                response_id INTEGER NOT NULL REFERENCES questionnaire_responses(id),
                code TEXT NOT NULL,
                PRIMARY KEY (response_id, code)
            ) STRICT;
            """),
        Migration(name: "0005-follow-up", sql: """
            ALTER TABLE patients ADD COLUMN email TEXT;
            ALTER TABLE patients ADD COLUMN mobile TEXT;
            ALTER TABLE patients ADD COLUMN delivery TEXT NOT NULL DEFAULT 'email' CHECK (delivery IN ('email', 'letter'));
            ALTER TABLE patients ADD COLUMN gp_sor_code TEXT;
            ALTER TABLE patients ADD COLUMN municipality_code TEXT;

            CREATE TABLE staff_users (
                id INTEGER PRIMARY KEY,
                username TEXT NOT NULL UNIQUE,
                display_name TEXT NOT NULL,
                department_id INTEGER NOT NULL REFERENCES departments(id),
                role TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                created_at TEXT NOT NULL
            ) STRICT;

            CREATE TABLE enrolments (
                id INTEGER PRIMARY KEY,
                patient_id INTEGER NOT NULL REFERENCES patients(id),
                department_id INTEGER NOT NULL REFERENCES departments(id),
                plan_id TEXT NOT NULL,
                plan_version TEXT NOT NULL,
                start_date TEXT NOT NULL,
                ended_at TEXT,
                created_at TEXT NOT NULL
            ) STRICT;

            CREATE UNIQUE INDEX enrolments_one_running_per_plan
                ON enrolments(patient_id, plan_id) WHERE ended_at IS NULL;

            CREATE TABLE enrolment_pauses (
                enrolment_id INTEGER NOT NULL REFERENCES enrolments(id),
                paused_at TEXT NOT NULL,
                resumed_at TEXT,
                PRIMARY KEY (enrolment_id, paused_at)
            ) STRICT;

            CREATE TABLE enrolment_events (
                id INTEGER PRIMARY KEY,
                enrolment_id INTEGER NOT NULL REFERENCES enrolments(id),
                kind TEXT NOT NULL CHECK (kind IN ('enrolled', 'paused', 'resumed', 'plan-changed', 'ended')),
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                detail TEXT
            ) STRICT;

            CREATE TABLE follow_up_rounds (
                id INTEGER PRIMARY KEY,
                enrolment_id INTEGER NOT NULL REFERENCES enrolments(id),
                number INTEGER NOT NULL,
                due_date TEXT NOT NULL,
                skipped_at TEXT,
                sent_at TEXT,
                reminders_sent INTEGER NOT NULL DEFAULT 0,
                expires_at TEXT,
                answered_at TEXT,
                colour TEXT CHECK (colour IN ('green', 'yellow', 'red')),
                expired_at TEXT,
                escalation_level INTEGER,
                UNIQUE (enrolment_id, number)
            ) STRICT;

            CREATE TABLE scheduler_actions (
                action_key TEXT PRIMARY KEY,
                performed_at TEXT NOT NULL
            ) STRICT;

            ALTER TABLE invitations ADD COLUMN round_id INTEGER REFERENCES follow_up_rounds(id);

            CREATE TABLE invitation_links (
                token_hash BLOB PRIMARY KEY,
                invitation_id INTEGER NOT NULL REFERENCES invitations(id),
                created_at TEXT NOT NULL
            ) STRICT;

            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY,
                created_at TEXT NOT NULL,
                purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'reminder')),
                channel TEXT NOT NULL CHECK (channel IN ('email', 'letter')),
                patient_id INTEGER NOT NULL REFERENCES patients(id),
                round_id INTEGER REFERENCES follow_up_rounds(id),
                recipient TEXT,
                message_json TEXT,
                state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                delivered_at TEXT,
                last_error TEXT
            ) STRICT;

            CREATE INDEX outbox_due ON outbox(state, next_attempt_at);

            CREATE TABLE outbox_attempts (
                outbox_id INTEGER NOT NULL REFERENCES outbox(id),
                attempt INTEGER NOT NULL,
                at TEXT NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'transient', 'permanent')),
                detail TEXT,
                PRIMARY KEY (outbox_id, attempt)
            ) STRICT;

            ALTER TABLE questionnaire_responses ADD COLUMN source TEXT NOT NULL DEFAULT 'patient'
                CHECK (source IN ('patient', 'proxy', 'paper'));
            ALTER TABLE questionnaire_responses ADD COLUMN proxy_relation TEXT;
            ALTER TABLE questionnaire_responses ADD COLUMN entered_by INTEGER REFERENCES staff_users(id);

            CREATE TABLE contact_requests (
                id INTEGER PRIMARY KEY,
                patient_id INTEGER NOT NULL REFERENCES patients(id),
                requested_at TEXT NOT NULL,
                message TEXT
            ) STRICT;

            CREATE TABLE decisions (
                id INTEGER PRIMARY KEY,
                patient_id INTEGER NOT NULL REFERENCES patients(id),
                subject_kind TEXT NOT NULL CHECK (subject_kind IN ('response', 'round', 'contact-request')),
                subject_id INTEGER NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('no-action', 'phone-call', 'visit-booked', 'interval-changed',
                                                   'referred', 'follow-up-ended')),
                visit_date TEXT,
                next_due_date TEXT,
                note TEXT,
                decided_by INTEGER NOT NULL REFERENCES staff_users(id),
                decided_at TEXT NOT NULL,
                corrects INTEGER REFERENCES decisions(id)
            ) STRICT;

            CREATE INDEX decisions_by_subject ON decisions(subject_kind, subject_id, id);
            CREATE INDEX decisions_by_patient ON decisions(patient_id, decided_at);

            CREATE TABLE claims (
                id INTEGER PRIMARY KEY,
                subject_kind TEXT NOT NULL CHECK (subject_kind IN ('response', 'round', 'contact-request')),
                subject_id INTEGER NOT NULL,
                assignee INTEGER REFERENCES staff_users(id),
                assigned_by INTEGER NOT NULL REFERENCES staff_users(id),
                at TEXT NOT NULL
            ) STRICT;

            CREATE INDEX claims_by_subject ON claims(subject_kind, subject_id, id);
            """),
        Migration(name: "0006-paper-entry", sql: """
            ALTER TABLE invitations ADD COLUMN entered_by INTEGER REFERENCES staff_users(id);
            ALTER TABLE invitations ADD COLUMN paper_date TEXT;
            """),
        Migration(name: "0007-staff-sessions", sql: """
            CREATE TABLE staff_sessions (
                id_hash BLOB PRIMARY KEY,
                staff_id INTEGER NOT NULL REFERENCES staff_users(id),
                csrf_token TEXT NOT NULL,
                language TEXT NOT NULL DEFAULT 'da',
                created_at TEXT NOT NULL,
                last_seen_at TEXT NOT NULL
            ) STRICT;

            CREATE INDEX staff_sessions_by_staff ON staff_sessions(staff_id);
            """),
        Migration(name: "0008-audit", sql: """
            CREATE TABLE audit_events (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                actor_kind TEXT NOT NULL CHECK (actor_kind IN ('staff', 'patient', 'api-client', 'system')),
                actor_id TEXT,
                actor_role TEXT,
                organisation_sor TEXT,
                patient_id INTEGER REFERENCES patients(id),
                action TEXT NOT NULL CHECK (action IN ('read', 'change', 'denied')),
                what TEXT NOT NULL,
                legal_basis TEXT,
                outcome TEXT NOT NULL,
                detail TEXT,
                previous_hash BLOB NOT NULL,
                hash BLOB NOT NULL
            ) STRICT;

            CREATE INDEX audit_events_by_patient ON audit_events(patient_id, id);

            CREATE TABLE audit_anchor (
                singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                after_id INTEGER NOT NULL,
                hash BLOB NOT NULL,
                pruned_at TEXT NOT NULL
            ) STRICT;
            """),
        Migration(name: "0009-saved-lists", sql: """
            CREATE TABLE saved_lists (
                id INTEGER PRIMARY KEY,
                department_id INTEGER NOT NULL REFERENCES departments(id),
                name TEXT NOT NULL,
                filter_json TEXT NOT NULL,
                created_by INTEGER NOT NULL REFERENCES staff_users(id),
                created_at TEXT NOT NULL
            ) STRICT;

            CREATE INDEX saved_lists_by_department ON saved_lists(department_id, name);
            """),
        Migration(name: "0010-research-projects", sql: """
            CREATE TABLE research_projects (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                fields_json TEXT NOT NULL,
                requires_consent INTEGER NOT NULL CHECK (requires_consent IN (0, 1)),
                secret BLOB NOT NULL,
                approval_reference TEXT,
                approved_at TEXT,
                approved_by TEXT,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL
            ) STRICT;

            CREATE TABLE research_consents (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL REFERENCES research_projects(id),
                patient_id INTEGER NOT NULL REFERENCES patients(id),
                given INTEGER NOT NULL CHECK (given IN (0, 1)),
                at TEXT NOT NULL
            ) STRICT;

            CREATE INDEX research_consents_by_project ON research_consents(project_id, patient_id, id);
            """),
        Migration(name: "0011-sharing", sql: """
            ALTER TABLE departments ADD COLUMN kind TEXT NOT NULL DEFAULT 'hospitalDepartment'
                CHECK (kind IN ('hospitalDepartment', 'gpClinic', 'municipalHealthUnit', 'municipalSocialServicesUnit'));
            ALTER TABLE departments ADD COLUMN municipality_code TEXT;
            ALTER TABLE staff_users ADD COLUMN is_protected INTEGER NOT NULL DEFAULT 0 CHECK (is_protected IN (0, 1));

            CREATE TABLE treatment_relations (
                id INTEGER PRIMARY KEY,
                patient_id INTEGER NOT NULL REFERENCES patients(id),
                organisation_id INTEGER NOT NULL REFERENCES departments(id),
                kind TEXT NOT NULL CHECK (kind IN ('responsibleDepartment', 'generalPractitioner', 'municipalHealthUnit')),
                start_at TEXT NOT NULL,
                end_at TEXT,
                recorded_by TEXT NOT NULL
            ) STRICT;

            CREATE INDEX treatment_relations_by_patient ON treatment_relations(patient_id);
            CREATE INDEX treatment_relations_by_organisation ON treatment_relations(organisation_id, patient_id);

            CREATE TABLE sharing_choices (
                id INTEGER PRIMARY KEY,
                patient_id INTEGER NOT NULL REFERENCES patients(id),
                organisation_id INTEGER NOT NULL REFERENCES departments(id),
                choice TEXT NOT NULL CHECK (choice IN ('block', 'unblock', 'consent', 'withdraw-consent')),
                at TEXT NOT NULL,
                expires_at TEXT,
                channel TEXT NOT NULL,
                actor TEXT NOT NULL
            ) STRICT;

            CREATE INDEX sharing_choices_by_patient ON sharing_choices(patient_id, id);
            """),
        Migration(name: "0012-staff-login-security", sql: """
            ALTER TABLE staff_users ADD COLUMN totp_secret BLOB;
            ALTER TABLE staff_users ADD COLUMN totp_last_step INTEGER;

            CREATE TABLE login_failures (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('username', 'address')),
                key_hash BLOB NOT NULL,
                at INTEGER NOT NULL
            ) STRICT;

            CREATE INDEX login_failures_by_key ON login_failures(kind, key_hash, at);

            CREATE TABLE staff_pending_logins (
                token_hash BLOB PRIMARY KEY,
                staff_id INTEGER NOT NULL REFERENCES staff_users(id),
                language TEXT NOT NULL,
                created_at INTEGER NOT NULL
            ) STRICT;
            """),
        Migration(name: "0013-emergency-access", sql: """
            CREATE TABLE emergency_accesses (
                id INTEGER PRIMARY KEY,
                staff_id INTEGER NOT NULL REFERENCES staff_users(id),
                patient_id INTEGER NOT NULL REFERENCES patients(id),
                reason TEXT NOT NULL,
                granted_at TEXT NOT NULL,
                expires_at TEXT NOT NULL
            ) STRICT;

            CREATE INDEX emergency_accesses_by_staff ON emergency_accesses(staff_id, patient_id, expires_at);
            """),
        Migration(name: "0014-api-clients", sql: """
            CREATE TABLE api_clients (
                id INTEGER PRIMARY KEY,
                organisation_id INTEGER NOT NULL REFERENCES departments(id),
                scopes TEXT NOT NULL,
                token_hash BLOB NOT NULL UNIQUE,
                created_at TEXT NOT NULL,
                expires_at TEXT,
                revoked_at TEXT
            ) STRICT;
            """),
        Migration(name: "0015-subscriptions", sql: """
            CREATE TABLE subscriptions (
                id INTEGER PRIMARY KEY,
                api_client_id INTEGER NOT NULL REFERENCES api_clients(id),
                organisation_id INTEGER NOT NULL REFERENCES departments(id),
                colours TEXT NOT NULL,
                endpoint TEXT NOT NULL,
                full_payload INTEGER NOT NULL,
                secret BLOB NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('active', 'off')),
                created_at TEXT NOT NULL
            ) STRICT;

            CREATE TABLE subscription_deliveries (
                id INTEGER PRIMARY KEY,
                subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),
                response_resource_id TEXT NOT NULL,
                body TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                created_at TEXT NOT NULL,
                delivered_at TEXT,
                last_error TEXT
            ) STRICT;

            CREATE INDEX subscription_deliveries_due ON subscription_deliveries(state, next_attempt_at);

            CREATE TABLE subscription_attempts (
                id INTEGER PRIMARY KEY,
                delivery_id INTEGER NOT NULL REFERENCES subscription_deliveries(id),
                attempt INTEGER NOT NULL,
                at TEXT NOT NULL,
                outcome TEXT NOT NULL,
                detail TEXT
            ) STRICT;
            """),
        // Push lifecycle: a subscription's reason and last change (it can be turned off), and two
        // more delivery states: 'stopped' (its subscription was turned off before it was sent)
        // and 'withdrawn' (the access policy no longer allowed it when it was due). SQLite
        // cannot alter a CHECK, so both delivery tables are rebuilt; foreign_keys is on and
        // cannot be turned off inside the migration's transaction, so the attempts are first
        // moved to a table that points at the new deliveries table, and the renames (SQLite:
        // ALTER TABLE RENAME rewrites references since 3.26) put both names back.
        Migration(name: "0016-subscription-lifecycle", sql: """
            ALTER TABLE subscriptions ADD COLUMN reason TEXT NOT NULL DEFAULT 'New results';
            ALTER TABLE subscriptions ADD COLUMN updated_at TEXT;

            CREATE TABLE subscription_deliveries_new (
                id INTEGER PRIMARY KEY,
                subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),
                response_resource_id TEXT NOT NULL,
                body TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead', 'stopped', 'withdrawn')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                created_at TEXT NOT NULL,
                delivered_at TEXT,
                last_error TEXT
            ) STRICT;
            INSERT INTO subscription_deliveries_new SELECT * FROM subscription_deliveries;

            CREATE TABLE subscription_attempts_new (
                id INTEGER PRIMARY KEY,
                delivery_id INTEGER NOT NULL REFERENCES subscription_deliveries_new(id),
                attempt INTEGER NOT NULL,
                at TEXT NOT NULL,
                outcome TEXT NOT NULL,
                detail TEXT
            ) STRICT;
            INSERT INTO subscription_attempts_new SELECT * FROM subscription_attempts;

            DROP TABLE subscription_attempts;
            DROP TABLE subscription_deliveries;
            ALTER TABLE subscription_deliveries_new RENAME TO subscription_deliveries;
            ALTER TABLE subscription_attempts_new RENAME TO subscription_attempts;
            CREATE INDEX subscription_deliveries_due ON subscription_deliveries(state, next_attempt_at);
            """),
        Migration(name: "0017-fhir-search-indexes", sql: """
            CREATE INDEX questionnaire_responses_by_authored
                ON questionnaire_responses(authored, resource_id, patient_id);

            CREATE INDEX questionnaire_responses_by_identifier
                ON questionnaire_responses(json_extract(resource_json, '$.identifier.value'),
                                           json_extract(resource_json, '$.identifier.system'));
            """),
        Migration(name: "0018-resource-versions", sql: """
            CREATE TABLE resource_versions (
                resource TEXT PRIMARY KEY,
                version TEXT NOT NULL,
                since TEXT NOT NULL
            ) STRICT;
            """),
    ]
}
