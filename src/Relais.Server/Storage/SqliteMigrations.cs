namespace Relais.Server.Storage;

/// <summary>
/// The versioned schema. Each entry runs once, in order, in its own transaction, and its number is recorded
/// in <c>schema_migrations</c>. Never edit a shipped entry: add the next one.
/// <see cref="PostgresMigrations"/> holds the same logical schema in PostgreSQL types: a schema change adds an entry
/// to both lists, with the same version number.
/// </summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<(int Version, string Sql)> All { get; } =
    [
        (1, """
            CREATE TABLE users (
                id INTEGER PRIMARY KEY,
                username TEXT NOT NULL UNIQUE,
                is_admin INTEGER NOT NULL,
                created_at TEXT NOT NULL);
            CREATE TABLE personal_access_tokens (
                id INTEGER PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id),
                name TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                revoked INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL);
            CREATE TABLE projects (
                id INTEGER PRIMARY KEY,
                path TEXT NOT NULL UNIQUE,
                default_branch TEXT NOT NULL,
                visibility TEXT NOT NULL,
                created_at TEXT NOT NULL);
            CREATE TABLE runners (
                id INTEGER PRIMARY KEY,
                token_hash TEXT NOT NULL UNIQUE,
                description TEXT NOT NULL,
                tags TEXT NOT NULL,
                run_untagged INTEGER NOT NULL,
                locked INTEGER NOT NULL,
                paused INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                contacted_at TEXT);
            CREATE TABLE pipelines (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL REFERENCES projects(id),
                ref TEXT NOT NULL,
                sha TEXT NOT NULL,
                status TEXT NOT NULL,
                context_json TEXT NOT NULL,
                state_json TEXT,
                diagnostics_json TEXT,
                version INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL);
            CREATE TABLE jobs (
                id INTEGER PRIMARY KEY,
                pipeline_id INTEGER NOT NULL REFERENCES pipelines(id),
                project_id INTEGER NOT NULL REFERENCES projects(id),
                name TEXT NOT NULL,
                stage TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                status TEXT NOT NULL,
                tags TEXT NOT NULL,
                runner_id INTEGER,
                token_hash TEXT UNIQUE,
                queued_at TEXT,
                started_at TEXT,
                finished_at TEXT,
                failure_reason TEXT,
                exit_code INTEGER,
                UNIQUE (pipeline_id, name, attempt));
            CREATE INDEX jobs_by_status ON jobs (status, id);
            CREATE TABLE artifacts (
                id INTEGER PRIMARY KEY,
                job_id INTEGER NOT NULL REFERENCES jobs(id),
                file_type TEXT NOT NULL,
                file_format TEXT NOT NULL,
                filename TEXT NOT NULL,
                size INTEGER NOT NULL,
                blob_path TEXT NOT NULL,
                dotenv_json TEXT,
                expire_at TEXT,
                created_at TEXT NOT NULL,
                UNIQUE (job_id, file_type));
            """),
        (2, """
            CREATE TABLE project_variables (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL REFERENCES projects(id),
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                variable_type TEXT NOT NULL,
                protected INTEGER NOT NULL,
                masked INTEGER NOT NULL,
                raw INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                UNIQUE (project_id, key));
            CREATE TABLE project_ci_configs (
                project_id INTEGER PRIMARY KEY REFERENCES projects(id),
                content TEXT NOT NULL,
                updated_at TEXT NOT NULL);
            """),
        (3, """
            CREATE TABLE protected_branches (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL REFERENCES projects(id),
                name TEXT NOT NULL,
                push_access_level integer NOT NULL,
                merge_access_level integer NOT NULL,
                allow_force_push INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                UNIQUE (project_id, name));
            INSERT INTO protected_branches (project_id, name, push_access_level, merge_access_level, allow_force_push, created_at)
                SELECT id, default_branch, 40, 40, 0, strftime('%Y-%m-%dT%H:%M:%fZ','now') FROM projects;
            """),
        (4, """
            ALTER TABLE pipelines ADD COLUMN plan_json TEXT;
            """),
        (10, """
            ALTER TABLE jobs ADD COLUMN contacted_at TEXT;
            CREATE TABLE resource_groups (
                project_id INTEGER NOT NULL,
                name TEXT NOT NULL,
                holder_pipeline_id INTEGER,
                holder_job TEXT,
                holder_attempt INTEGER,
                PRIMARY KEY (project_id, name));
            CREATE TABLE resource_group_waiting (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL,
                name TEXT NOT NULL,
                pipeline_id INTEGER NOT NULL,
                job TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                UNIQUE (project_id, name, pipeline_id, job, attempt));
            """),
        (20, """
            CREATE TABLE audit_events (
                id INTEGER PRIMARY KEY,
                author_id INTEGER,
                author_name TEXT NOT NULL,
                action TEXT NOT NULL,
                entity_type TEXT NOT NULL,
                entity_id INTEGER,
                entity_path TEXT,
                details TEXT,
                ip_address TEXT,
                created_at TEXT NOT NULL);
            """),
        // 30-39: the web UI (Web/): root's password hash and cookie sessions (by token hash).
        (30, """
            ALTER TABLE users ADD COLUMN password_hash TEXT;
            CREATE TABLE web_sessions (
                token_hash TEXT PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id),
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL);
            """),
        // 40-49: engine states split by job. Each job attempt's state in its row, so an event writes only what it
        // changed; pipelines.state_json keeps the pipeline's own fields. Rows of older versions are rewritten lazily.
        (40, """
            ALTER TABLE jobs ADD COLUMN state_json TEXT;
            """),
        // 50-59: stored states as explicit, versioned records (Storage/State/StoredPipelineState). SQL cannot rewrite the
        // old layouts: CodeMigrations runs StoredStateMigration after this entry, in its transaction.
        (50, """
            SELECT 1;
            """),
        // 60-69: resource groups run by the engine's ResourceGroupMachine: the group's whole state (process mode, holder,
        // upcoming and ready claims) in resource_groups.state_json; the holder columns stay as a copy for the sweeper.
        // resource_group_waiting is read once per group and emptied by its first update.
        (60, """
            ALTER TABLE resource_groups ADD COLUMN state_json TEXT;
            """),
        // 70-79: job isolation. An administrator marks a project trusted: its jobs may run unisolated (in a shell runner).
        // Projects in an administrator's namespace are trusted without the flag (Queue/ProjectTrust).
        (70, """
            ALTER TABLE projects ADD COLUMN trusted INTEGER NOT NULL DEFAULT 0;
            """),
        // 80-89: credentials that mean what they say. Token scopes (comma-separated, GitLab's names) and expiry day
        // (yyyy-MM-dd, compared as text); web sessions with an id (listed and ended one by one), the token that opened
        // them (revoking it ends them), last use, address and user agent. Existing sessions are dropped: everyone signs in again.
        (80, """
            ALTER TABLE personal_access_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'api';
            ALTER TABLE personal_access_tokens ADD COLUMN expires_at TEXT;
            DROP TABLE web_sessions;
            CREATE TABLE web_sessions (
                id INTEGER PRIMARY KEY,
                token_hash TEXT NOT NULL UNIQUE,
                user_id INTEGER NOT NULL REFERENCES users(id),
                personal_access_token_id INTEGER REFERENCES personal_access_tokens(id),
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                last_used_at TEXT NOT NULL,
                ip_address TEXT,
                user_agent TEXT);
            CREATE INDEX web_sessions_by_user ON web_sessions (user_id);
            CREATE INDEX web_sessions_by_token ON web_sessions (personal_access_token_id);
            """),
        // 100-109: SSH keys (Ssh/, docs/ssh.md). Users' keys and deploy keys share one table, so ids and the SHA-256
        // fingerprint are unique across both (one key, one owner: what sshd's AuthorizedKeysCommand looks up);
        // deploy_keys_projects enables a deploy key on a project. expires_at is UTC text (yyyy-MM-ddTHH:mm:ss.fffZ).
        (100, """
            CREATE TABLE ssh_keys (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                user_id INTEGER REFERENCES users(id),
                title TEXT NOT NULL,
                key TEXT NOT NULL,
                fingerprint_sha256 TEXT NOT NULL UNIQUE,
                fingerprint_md5 TEXT NOT NULL,
                usage_type TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT);
            CREATE INDEX ssh_keys_by_user ON ssh_keys (user_id);
            CREATE TABLE deploy_keys_projects (
                project_id INTEGER NOT NULL REFERENCES projects(id),
                deploy_key_id INTEGER NOT NULL REFERENCES ssh_keys(id),
                can_push INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (project_id, deploy_key_id));
            CREATE INDEX deploy_keys_projects_by_key ON deploy_keys_projects (deploy_key_id);
            """),
        // 110-119: users in GitLab's shapes (Api/UserEndpoints): a display name, an email address, and blocked (a blocked
        // user's tokens, sessions, password and git access stop working at once).
        (110, """
            ALTER TABLE users ADD COLUMN name TEXT;
            ALTER TABLE users ADD COLUMN email TEXT;
            ALTER TABLE users ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;
            """),
        // 130-139: protected branches and tags in GitLab's shapes (Api/ProtectedBranchEndpoints, Api/ProtectedTagEndpoints,
        // Git/PushRules): who may unprotect a branch; protected tags (names or wildcards) with who may create them; and
        // grants to single users or deploy keys beside the role level (action push, merge, unprotect or create), which go
        // with their rule, user or deploy key.
        (130, """
            ALTER TABLE protected_branches ADD COLUMN unprotect_access_level integer NOT NULL DEFAULT 40;
            CREATE TABLE protected_tags (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL REFERENCES projects(id),
                name TEXT NOT NULL,
                create_access_level integer NOT NULL,
                created_at TEXT NOT NULL,
                UNIQUE (project_id, name));
            CREATE TABLE protected_ref_grants (
                id INTEGER PRIMARY KEY,
                protected_branch_id INTEGER REFERENCES protected_branches(id) ON DELETE CASCADE,
                protected_tag_id INTEGER REFERENCES protected_tags(id) ON DELETE CASCADE,
                action TEXT NOT NULL,
                user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
                deploy_key_id INTEGER REFERENCES ssh_keys(id) ON DELETE CASCADE);
            CREATE INDEX protected_ref_grants_by_branch ON protected_ref_grants (protected_branch_id);
            CREATE INDEX protected_ref_grants_by_tag ON protected_ref_grants (protected_tag_id);
            CREATE INDEX protected_ref_grants_by_user ON protected_ref_grants (user_id);
            CREATE INDEX protected_ref_grants_by_deploy_key ON protected_ref_grants (deploy_key_id);
            """),
        // 120-129: groups and members (Api/GroupEndpoints, Api/MemberEndpoints, docs/teams.md). A group's full_path is
        // unique and fixed; a top-level group's path and usernames share one namespace (checked on both inserts). One
        // membership row per source (a project or a group) and user; expires_at is a day (yyyy-MM-dd, compared as text).
        (120, """
            CREATE TABLE groups (
                id INTEGER PRIMARY KEY,
                parent_id INTEGER REFERENCES groups(id),
                path TEXT NOT NULL,
                full_path TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                visibility TEXT NOT NULL,
                created_at TEXT NOT NULL);
            CREATE INDEX groups_by_parent ON groups (parent_id);
            CREATE TABLE members (
                id INTEGER PRIMARY KEY,
                source_type TEXT NOT NULL,
                source_id INTEGER NOT NULL,
                user_id INTEGER NOT NULL REFERENCES users(id),
                access_level INTEGER NOT NULL,
                expires_at TEXT,
                created_by INTEGER,
                created_at TEXT NOT NULL,
                UNIQUE (source_type, source_id, user_id));
            CREATE INDEX members_by_user ON members (user_id);
            """),
        // 140-149: deploy tokens (Api/DeployTokenEndpoints): a project's credential for git over HTTP, known by its hash;
        // scopes are GitLab's names, comma-separated; expires_at is UTC text (yyyy-MM-ddTHH:mm:ss.fffZ). sealed_token keeps the
        // value encrypted (SecretBox) only for the token named gitlab-deploy-token, which jobs get as CI_DEPLOY_PASSWORD.
        (140, """
            CREATE TABLE deploy_tokens (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL REFERENCES projects(id),
                name TEXT NOT NULL,
                username TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                scopes TEXT NOT NULL,
                expires_at TEXT,
                revoked INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                sealed_token TEXT);
            CREATE INDEX deploy_tokens_by_project ON deploy_tokens (project_id);
            """),
        // 150-159: commit statuses set by outside systems (Api/CommitStatusEndpoints): stored apart from the engine's jobs,
        // one row per status (a finished one is never changed; the same name on the same sha and ref is updated in place
        // while pending or running), shown under the "External" stage of the commit's pipeline; author_id has no foreign key: a deleted user's statuses stay, without author.
        (150, """
            CREATE TABLE commit_statuses (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL REFERENCES projects(id),
                sha TEXT NOT NULL,
                ref TEXT NOT NULL,
                name TEXT NOT NULL,
                status TEXT NOT NULL,
                target_url TEXT,
                description TEXT,
                coverage REAL,
                pipeline_id INTEGER,
                author_id INTEGER,
                created_at TEXT NOT NULL,
                started_at TEXT,
                finished_at TEXT);
            CREATE INDEX commit_statuses_by_sha ON commit_statuses (project_id, sha);
            CREATE INDEX commit_statuses_by_pipeline ON commit_statuses (pipeline_id);
            """),
        // 170-179: when a personal access token was last used (the access tokens page, GET /personal_access_tokens);
        // written at most every ten minutes per token, as GitLab does.
        (170, """
            ALTER TABLE personal_access_tokens ADD COLUMN last_used_at TEXT;
            """),
        // 180-189: who caused a pipeline (GITLAB_USER_*, job tokens act as them), and the CI/CD job token's inbound
        // scope: whether a project limits job tokens of other projects to its allowlist (GitLab's default), and the list.
        (180, """
            ALTER TABLE pipelines ADD COLUMN user_id INTEGER;
            ALTER TABLE projects ADD COLUMN job_token_scope_enabled INTEGER NOT NULL DEFAULT 1;
            CREATE TABLE job_token_allowlist (
                project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                allowed_project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                created_at TEXT NOT NULL,
                PRIMARY KEY (project_id, allowed_project_id)
            );
            """),
        // 190-199: what the pipeline list filters on (GET /projects/:id/pipelines, issue #14): the source and whether it is a
        // tag's (from context_json), its workflow:name (from plan_json; code migration 190 fills both in for older rows), and
        // the pipeline's own variables as given at creation (JSON [{key, value, variable_type, raw}]; null: none recorded).
        (190, """
            ALTER TABLE pipelines ADD COLUMN source TEXT;
            ALTER TABLE pipelines ADD COLUMN tag INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE pipelines ADD COLUMN name TEXT;
            ALTER TABLE pipelines ADD COLUMN variables_json TEXT;
            CREATE INDEX pipelines_by_project_ref ON pipelines (project_id, ref, id);
            """),
        // 200-209: the jobs and artifacts API (Api/JobArtifactActionEndpoints, Api/JobActionEndpoints): when a job's log and
        // artifacts were erased, and the variables a user gave when playing a manual job (sealed with SecretBox), kept
        // per attempt; a later attempt of the same job (a retry) runs with the newest of them.
        (200, """
            ALTER TABLE jobs ADD COLUMN erased_at TEXT;
            CREATE TABLE job_play_variables (
                job_id INTEGER PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
                variables_json TEXT NOT NULL,
                created_at TEXT NOT NULL);
            """),
        // 210-219: trigger tokens and pipeline schedules (Api/TriggerEndpoints, Api/ScheduleEndpoints, Pipelines/PipelineScheduler).
        // A trigger token is known by its hash; sealed_token keeps it encrypted (SecretBox) to show it to its owner. Times are
        // UTC text (yyyy-MM-ddTHH:mm:ss.fffZ, compared as text): a coordinator claims a due schedule by moving next_run_at with
        // a conditional UPDATE. pipeline_schedule_runs lists the pipelines each schedule created.
        (210, """
            CREATE TABLE pipeline_triggers (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                owner_id INTEGER NOT NULL,
                description TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                sealed_token TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                last_used_at TEXT);
            CREATE INDEX pipeline_triggers_by_project ON pipeline_triggers (project_id);
            CREATE TABLE pipeline_schedules (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                owner_id INTEGER NOT NULL,
                description TEXT NOT NULL,
                ref TEXT NOT NULL,
                cron TEXT NOT NULL,
                cron_timezone TEXT NOT NULL,
                active INTEGER NOT NULL,
                next_run_at TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL);
            CREATE INDEX pipeline_schedules_by_project ON pipeline_schedules (project_id);
            CREATE INDEX pipeline_schedules_due ON pipeline_schedules (next_run_at) WHERE active = 1;
            CREATE TABLE pipeline_schedule_variables (
                schedule_id INTEGER NOT NULL REFERENCES pipeline_schedules(id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                variable_type TEXT NOT NULL,
                PRIMARY KEY (schedule_id, key));
            CREATE TABLE pipeline_schedule_runs (
                schedule_id INTEGER NOT NULL REFERENCES pipeline_schedules(id) ON DELETE CASCADE,
                pipeline_id INTEGER NOT NULL,
                PRIMARY KEY (schedule_id, pipeline_id));
            """),
        // 220-229: downstream pipelines (Pipelines/Downstream, docs/server.md): a job row is a bridge (trigger:, never given
        // to a runner), and a child or multi-project pipeline records the pipeline and bridge job that created it.
        (220, """
            ALTER TABLE jobs ADD COLUMN bridge INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE pipelines ADD COLUMN upstream_pipeline_id INTEGER;
            ALTER TABLE pipelines ADD COLUMN upstream_job_id INTEGER;
            CREATE INDEX pipelines_by_upstream_job ON pipelines (upstream_job_id);
            CREATE INDEX pipelines_by_upstream_pipeline ON pipelines (upstream_pipeline_id);
            """),
        // 230-239: outgoing webhooks (Webhooks/, Api/WebhookEndpoints): a project's hooks (token kept encrypted, never shown;
        // recent_failures and disabled_until pause a failing hook, as GitLab does) and the delivery queue, one row per event and
        // hook, sent by a background loop that claims a row with a conditional UPDATE (claimed_until), retried with backoff;
        // times that are compared (next_attempt_at, claimed_until, disabled_until) are UTC text (yyyy-MM-ddTHH:mm:ss.fffZ).
        (230, """
            CREATE TABLE webhooks (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                url TEXT NOT NULL,
                name TEXT NOT NULL DEFAULT '',
                description TEXT NOT NULL DEFAULT '',
                sealed_token TEXT,
                events TEXT NOT NULL DEFAULT '',
                push_events_branch_filter TEXT NOT NULL DEFAULT '',
                enable_ssl_verification INTEGER NOT NULL DEFAULT 1,
                custom_headers TEXT NOT NULL DEFAULT '',
                recent_failures INTEGER NOT NULL DEFAULT 0,
                disabled_until TEXT,
                created_at TEXT NOT NULL);
            CREATE INDEX webhooks_by_project ON webhooks (project_id);
            CREATE TABLE webhook_deliveries (
                id INTEGER PRIMARY KEY,
                hook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
                project_id INTEGER NOT NULL,
                event TEXT NOT NULL,
                hook_trigger TEXT NOT NULL,
                uuid TEXT NOT NULL,
                payload TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                claimed_until TEXT,
                response_status INTEGER,
                response_excerpt TEXT,
                error TEXT,
                execution_duration REAL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL);
            CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
            CREATE INDEX webhook_deliveries_by_hook ON webhook_deliveries (hook_id, id);
            """),
        // 240-249: runner types and CI/CD variables beyond the project (Api/RunnerEndpoints*, Api/GroupVariableEndpoints,
        // Api/InstanceVariableEndpoints): a runner is an instance, group (group_id) or project runner (runner_projects: the
        // projects it is enabled in, the first is its owner); a project may turn instance runners off; registration tokens
        // (legacy POST /runners) for the instance (ci_settings) and each project; variables gain an environment scope (part of
        // their identity: one key per scope) and a description; group and instance variables.
        (240, """
            ALTER TABLE runners ADD COLUMN runner_type TEXT NOT NULL DEFAULT 'instance_type';
            ALTER TABLE runners ADD COLUMN group_id INTEGER;
            ALTER TABLE runners ADD COLUMN access_level TEXT NOT NULL DEFAULT 'not_protected';
            ALTER TABLE runners ADD COLUMN maximum_timeout INTEGER;
            ALTER TABLE runners ADD COLUMN creator_id INTEGER;
            CREATE TABLE runner_projects (
                runner_id INTEGER NOT NULL REFERENCES runners(id) ON DELETE CASCADE,
                project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                created_at TEXT NOT NULL,
                PRIMARY KEY (runner_id, project_id));
            ALTER TABLE projects ADD COLUMN shared_runners_enabled INTEGER NOT NULL DEFAULT 1;
            ALTER TABLE projects ADD COLUMN runners_token TEXT;
            CREATE TABLE ci_settings (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL);
            CREATE TABLE project_variables_240 (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL REFERENCES projects(id),
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                variable_type TEXT NOT NULL,
                protected INTEGER NOT NULL,
                masked INTEGER NOT NULL,
                raw INTEGER NOT NULL,
                environment_scope TEXT NOT NULL DEFAULT '*',
                description TEXT,
                created_at TEXT NOT NULL,
                UNIQUE (project_id, key, environment_scope));
            INSERT INTO project_variables_240 (id, project_id, key, value, variable_type, protected, masked, raw, created_at)
                SELECT id, project_id, key, value, variable_type, protected, masked, raw, created_at FROM project_variables;
            DROP TABLE project_variables;
            ALTER TABLE project_variables_240 RENAME TO project_variables;
            CREATE TABLE group_variables (
                id INTEGER PRIMARY KEY,
                group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                variable_type TEXT NOT NULL,
                protected INTEGER NOT NULL,
                masked INTEGER NOT NULL,
                raw INTEGER NOT NULL,
                environment_scope TEXT NOT NULL DEFAULT '*',
                description TEXT,
                created_at TEXT NOT NULL,
                UNIQUE (group_id, key, environment_scope));
            CREATE TABLE instance_variables (
                id INTEGER PRIMARY KEY,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                variable_type TEXT NOT NULL,
                protected INTEGER NOT NULL,
                masked INTEGER NOT NULL,
                raw INTEGER NOT NULL,
                environment_scope TEXT NOT NULL DEFAULT '*',
                description TEXT,
                created_at TEXT NOT NULL,
                UNIQUE (key, environment_scope));
            """),
        // 250-259: releases of a tag with their asset links (issue #14), and generic packages with their files, whose
        // bytes are stored with the artifact blobs (blob_path, relative to the artifacts folder).
        (250, """
            CREATE TABLE releases (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                tag_name TEXT NOT NULL,
                name TEXT NOT NULL,
                description TEXT,
                sha TEXT,
                author_id INTEGER,
                released_at TEXT NOT NULL,
                created_at TEXT NOT NULL,
                UNIQUE (project_id, tag_name));
            CREATE TABLE release_links (
                id INTEGER PRIMARY KEY,
                release_id INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                url TEXT NOT NULL,
                direct_asset_path TEXT,
                link_type TEXT NOT NULL,
                created_at TEXT NOT NULL);
            CREATE TABLE packages (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                package_type TEXT NOT NULL,
                name TEXT NOT NULL,
                version TEXT NOT NULL,
                status TEXT NOT NULL,
                pipeline_id INTEGER,
                created_at TEXT NOT NULL,
                UNIQUE (project_id, package_type, name, version));
            CREATE TABLE package_files (
                id INTEGER PRIMARY KEY,
                package_id INTEGER NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
                file_name TEXT NOT NULL,
                size INTEGER NOT NULL,
                file_sha256 TEXT NOT NULL,
                blob_path TEXT NOT NULL,
                created_at TEXT NOT NULL);
            CREATE INDEX package_files_by_package ON package_files (package_id, file_name);
            """),
        // 260-269: the container registry (issue #15): the repositories of each project's registry, recorded when a push
        // token is first issued for them (as GitLab does); name is the path below the project's ('' for the project's own).
        (260, """
            CREATE TABLE container_repositories (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                created_at TEXT NOT NULL,
                UNIQUE (project_id, name));
            """),
        // 270-279: container image cleanup policies (issue #15, Registry/Cleanup): one row per project that set its policy (the
        // others have GitLab's defaults); times are UTC text compared as text, a coordinator claims a due run by moving
        // next_run_at with a conditional UPDATE; expiration_policy_started_at is when the policy last started on a repository.
        (270, """
            CREATE TABLE container_expiration_policies (
                project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
                enabled INTEGER NOT NULL,
                cadence TEXT NOT NULL,
                keep_n INTEGER,
                older_than TEXT,
                name_regex TEXT,
                name_regex_keep TEXT,
                next_run_at TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL);
            CREATE INDEX container_expiration_policies_due ON container_expiration_policies (next_run_at);
            ALTER TABLE container_repositories ADD COLUMN expiration_policy_started_at TEXT;
            """),
        // 280-289: environments and deployments (issue #16): an environment per project and expanded name (slug unique too);
        // a deployment per deploy job attempt (job_id) or per API call (no job), numbered per project (iid); times are UTC text.
        (280, """
            CREATE TABLE environments (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                slug TEXT NOT NULL,
                external_url TEXT,
                tier TEXT NOT NULL,
                state TEXT NOT NULL,
                auto_stop_at TEXT,
                kubernetes_namespace TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (project_id, name),
                UNIQUE (project_id, slug));
            CREATE INDEX environments_auto_stop ON environments (state, auto_stop_at);
            CREATE TABLE deployments (
                id INTEGER PRIMARY KEY,
                iid INTEGER NOT NULL,
                project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                environment_id INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
                job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
                pipeline_id INTEGER REFERENCES pipelines(id) ON DELETE SET NULL,
                ref TEXT NOT NULL,
                tag INTEGER NOT NULL,
                sha TEXT NOT NULL,
                user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
                status TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                finished_at TEXT,
                UNIQUE (project_id, iid));
            CREATE INDEX deployments_by_environment ON deployments (environment_id, id);
            CREATE INDEX deployments_by_job ON deployments (job_id);
            """),
        // 290-299: deployments made and moved by jobs (issue #16): a project's "prevent outdated deployment jobs" settings
        // (no row: both on, GitLab's defaults) and the environment effects of a job already applied (a stop job's).
        (290, """
            CREATE TABLE deployment_settings (
                project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
                forward_deployment_enabled INTEGER NOT NULL,
                forward_deployment_rollback_allowed INTEGER NOT NULL);
            CREATE TABLE environment_job_effects (
                job_id INTEGER PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
                status text NOT NULL);
            """),
        // 310-319: projects' Kubernetes settings (issue #16), GitLab's certificate-based "existing cluster" integration: one per
        // project and environment scope; the token sealed with the server's key; jobs get the KUBE_* variables and a KUBECONFIG.
        (310, """
            CREATE TABLE clusters (
                id INTEGER PRIMARY KEY,
                project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
                name TEXT NOT NULL,
                domain TEXT,
                enabled INTEGER NOT NULL,
                managed INTEGER NOT NULL,
                environment_scope TEXT NOT NULL,
                namespace_per_environment INTEGER NOT NULL,
                api_url TEXT NOT NULL,
                sealed_token TEXT NOT NULL,
                ca_cert TEXT,
                namespace TEXT,
                authorization_type TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (project_id, environment_scope));
            """),
    ];
}
