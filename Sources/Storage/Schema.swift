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
    ]
}
