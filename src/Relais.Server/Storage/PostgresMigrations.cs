namespace Relais.Server.Storage;

/// <summary>
/// The versioned schema on PostgreSQL: the same logical tables and version numbers as <see cref="SqliteMigrations"/>,
/// in PostgreSQL types (<c>bigint</c> identities, <c>boolean</c>, <c>timestamptz</c>, <c>jsonb</c> for the pipeline
/// context and engine state). Each entry runs once, in order, in its own transaction. Never edit a shipped entry:
/// add the next one, here and in <see cref="SqliteMigrations"/>.
/// </summary>
internal static class PostgresMigrations
{
    public static IReadOnlyList<(int Version, string Sql)> All { get; } =
    [
        (1, """
            CREATE TABLE users (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                username text NOT NULL UNIQUE,
                is_admin boolean NOT NULL,
                created_at timestamptz NOT NULL);
            CREATE TABLE personal_access_tokens (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                user_id bigint NOT NULL REFERENCES users(id),
                name text NOT NULL,
                token_hash text NOT NULL UNIQUE,
                revoked boolean NOT NULL DEFAULT FALSE,
                created_at timestamptz NOT NULL);
            CREATE TABLE projects (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                path text NOT NULL UNIQUE,
                default_branch text NOT NULL,
                visibility text NOT NULL,
                created_at timestamptz NOT NULL);
            CREATE TABLE runners (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                token_hash text NOT NULL UNIQUE,
                description text NOT NULL,
                tags text NOT NULL,
                run_untagged boolean NOT NULL,
                locked boolean NOT NULL,
                paused boolean NOT NULL DEFAULT FALSE,
                created_at timestamptz NOT NULL,
                contacted_at timestamptz);
            CREATE TABLE pipelines (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                project_id bigint NOT NULL REFERENCES projects(id),
                ref text NOT NULL,
                sha text NOT NULL,
                status text NOT NULL,
                context_json jsonb NOT NULL,
                state_json jsonb,
                diagnostics_json text,
                version bigint NOT NULL DEFAULT 0,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL);
            CREATE TABLE jobs (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                pipeline_id bigint NOT NULL REFERENCES pipelines(id),
                project_id bigint NOT NULL REFERENCES projects(id),
                name text NOT NULL,
                stage text NOT NULL,
                attempt integer NOT NULL,
                status text NOT NULL,
                tags text NOT NULL,
                runner_id bigint,
                token_hash text UNIQUE,
                queued_at timestamptz,
                started_at timestamptz,
                finished_at timestamptz,
                failure_reason text,
                exit_code integer,
                UNIQUE (pipeline_id, name, attempt));
            CREATE INDEX jobs_by_status ON jobs (status, id);
            CREATE INDEX jobs_pending ON jobs (id) WHERE status = 'pending';
            CREATE TABLE artifacts (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                job_id bigint NOT NULL REFERENCES jobs(id),
                file_type text NOT NULL,
                file_format text NOT NULL,
                filename text NOT NULL,
                size bigint NOT NULL,
                blob_path text NOT NULL,
                dotenv_json text,
                expire_at timestamptz,
                created_at timestamptz NOT NULL,
                UNIQUE (job_id, file_type));
            """),
        (2, """
            CREATE TABLE project_variables (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                project_id bigint NOT NULL REFERENCES projects(id),
                key text NOT NULL,
                value text NOT NULL,
                variable_type text NOT NULL,
                protected boolean NOT NULL,
                masked boolean NOT NULL,
                raw boolean NOT NULL,
                created_at timestamptz NOT NULL,
                UNIQUE (project_id, key));
            CREATE TABLE project_ci_configs (
                project_id bigint PRIMARY KEY REFERENCES projects(id),
                content text NOT NULL,
                updated_at timestamptz NOT NULL);
            """),
        (3, """
            CREATE TABLE protected_branches (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                project_id bigint NOT NULL REFERENCES projects(id),
                name text NOT NULL,
                push_access_level integer NOT NULL,
                merge_access_level integer NOT NULL,
                allow_force_push boolean NOT NULL,
                created_at timestamptz NOT NULL,
                UNIQUE (project_id, name));
            INSERT INTO protected_branches (project_id, name, push_access_level, merge_access_level, allow_force_push, created_at)
                SELECT id, default_branch, 40, 40, false, now() FROM projects;
            """),
        (4, """
            ALTER TABLE pipelines ADD COLUMN plan_json text;
            """),
        (10, """
            ALTER TABLE jobs ADD COLUMN contacted_at timestamptz;
            CREATE TABLE resource_groups (
                project_id bigint NOT NULL,
                name text NOT NULL,
                holder_pipeline_id bigint,
                holder_job text,
                holder_attempt integer,
                PRIMARY KEY (project_id, name));
            CREATE TABLE resource_group_waiting (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                project_id bigint NOT NULL,
                name text NOT NULL,
                pipeline_id bigint NOT NULL,
                job text NOT NULL,
                attempt integer NOT NULL,
                UNIQUE (project_id, name, pipeline_id, job, attempt));
            """),
        (20, """
            CREATE TABLE audit_events (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                author_id bigint,
                author_name text NOT NULL,
                action text NOT NULL,
                entity_type text NOT NULL,
                entity_id bigint,
                entity_path text,
                details text,
                ip_address text,
                created_at timestamptz NOT NULL);
            """),
        // 30-39: the web UI (Web/): root's password hash and cookie sessions (by token hash).
        (30, """
            ALTER TABLE users ADD COLUMN password_hash text;
            CREATE TABLE web_sessions (
                token_hash text PRIMARY KEY,
                user_id bigint NOT NULL REFERENCES users(id),
                created_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL);
            """),
        // 40-49: engine states split by job. Each job attempt's state in its row, so an event writes only what it
        // changed; pipelines.state_json keeps the pipeline's own fields. Rows of older versions are rewritten lazily.
        (40, """
            ALTER TABLE jobs ADD COLUMN state_json text;
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
            ALTER TABLE resource_groups ADD COLUMN state_json text;
            """),
        // 70-79: job isolation. An administrator marks a project trusted: its jobs may run unisolated (in a shell runner).
        // Projects in an administrator's namespace are trusted without the flag (Queue/ProjectTrust).
        (70, """
            ALTER TABLE projects ADD COLUMN trusted boolean NOT NULL DEFAULT FALSE;
            """),
        (80, """
            ALTER TABLE personal_access_tokens ADD COLUMN scopes text NOT NULL DEFAULT 'api';
            ALTER TABLE personal_access_tokens ADD COLUMN expires_at text;
            DROP TABLE web_sessions;
            CREATE TABLE web_sessions (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                token_hash text NOT NULL UNIQUE,
                user_id bigint NOT NULL REFERENCES users(id),
                personal_access_token_id bigint REFERENCES personal_access_tokens(id),
                created_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL,
                last_used_at timestamptz NOT NULL,
                ip_address text,
                user_agent text);
            CREATE INDEX web_sessions_by_user ON web_sessions (user_id);
            CREATE INDEX web_sessions_by_token ON web_sessions (personal_access_token_id);
            """),
        // 100-109: SSH keys (Ssh/, docs/ssh.md). Users' keys and deploy keys share one table, so ids and the SHA-256
        // fingerprint are unique across both (one key, one owner: what sshd's AuthorizedKeysCommand looks up);
        // deploy_keys_projects enables a deploy key on a project. expires_at is UTC text (yyyy-MM-ddTHH:mm:ss.fffZ).
        (100, """
            CREATE TABLE ssh_keys (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                kind text NOT NULL,
                user_id bigint REFERENCES users(id),
                title text NOT NULL,
                key text NOT NULL,
                fingerprint_sha256 text NOT NULL UNIQUE,
                fingerprint_md5 text NOT NULL,
                usage_type text NOT NULL,
                created_at timestamptz NOT NULL,
                expires_at text);
            CREATE INDEX ssh_keys_by_user ON ssh_keys (user_id);
            CREATE TABLE deploy_keys_projects (
                project_id bigint NOT NULL REFERENCES projects(id),
                deploy_key_id bigint NOT NULL REFERENCES ssh_keys(id),
                can_push boolean NOT NULL,
                created_at timestamptz NOT NULL,
                PRIMARY KEY (project_id, deploy_key_id));
            CREATE INDEX deploy_keys_projects_by_key ON deploy_keys_projects (deploy_key_id);
            """),
        // 110-119: users in GitLab's shapes (Api/UserEndpoints): a display name, an email address, and blocked (a blocked
        // user's tokens, sessions, password and git access stop working at once).
        (110, """
            ALTER TABLE users ADD COLUMN name text;
            ALTER TABLE users ADD COLUMN email text;
            ALTER TABLE users ADD COLUMN blocked boolean NOT NULL DEFAULT FALSE;
            """),
        // 130-139: protected branches and tags in GitLab's shapes (Api/ProtectedBranchEndpoints, Api/ProtectedTagEndpoints,
        // Git/PushRules): who may unprotect a branch; protected tags (names or wildcards) with who may create them; and
        // grants to single users or deploy keys beside the role level (action push, merge, unprotect or create), which go
        // with their rule, user or deploy key.
        (130, """
            ALTER TABLE protected_branches ADD COLUMN unprotect_access_level integer NOT NULL DEFAULT 40;
            CREATE TABLE protected_tags (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                project_id bigint NOT NULL REFERENCES projects(id),
                name text NOT NULL,
                create_access_level integer NOT NULL,
                created_at timestamptz NOT NULL,
                UNIQUE (project_id, name));
            CREATE TABLE protected_ref_grants (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                protected_branch_id bigint REFERENCES protected_branches(id) ON DELETE CASCADE,
                protected_tag_id bigint REFERENCES protected_tags(id) ON DELETE CASCADE,
                action text NOT NULL,
                user_id bigint REFERENCES users(id) ON DELETE CASCADE,
                deploy_key_id bigint REFERENCES ssh_keys(id) ON DELETE CASCADE);
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
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                parent_id bigint REFERENCES groups(id),
                path text NOT NULL,
                full_path text NOT NULL UNIQUE,
                name text NOT NULL,
                description text NOT NULL DEFAULT '',
                visibility text NOT NULL,
                created_at timestamptz NOT NULL);
            CREATE INDEX groups_by_parent ON groups (parent_id);
            CREATE TABLE members (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                source_type text NOT NULL,
                source_id bigint NOT NULL,
                user_id bigint NOT NULL REFERENCES users(id),
                access_level integer NOT NULL,
                expires_at text,
                created_by bigint,
                created_at timestamptz NOT NULL,
                UNIQUE (source_type, source_id, user_id));
            CREATE INDEX members_by_user ON members (user_id);
            """),
        // 140-149: deploy tokens (Api/DeployTokenEndpoints): a project's credential for git over HTTP, known by its hash;
        // scopes are GitLab's names, comma-separated; expires_at is UTC text (yyyy-MM-ddTHH:mm:ss.fffZ). sealed_token keeps the
        // value encrypted (SecretBox) only for the token named gitlab-deploy-token, which jobs get as CI_DEPLOY_PASSWORD.
        (140, """
            CREATE TABLE deploy_tokens (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                project_id bigint NOT NULL REFERENCES projects(id),
                name text NOT NULL,
                username text NOT NULL,
                token_hash text NOT NULL UNIQUE,
                scopes text NOT NULL,
                expires_at text,
                revoked boolean NOT NULL DEFAULT FALSE,
                created_at timestamptz NOT NULL,
                sealed_token text);
            CREATE INDEX deploy_tokens_by_project ON deploy_tokens (project_id);
            """),
        // 150-159: commit statuses set by outside systems (Api/CommitStatusEndpoints): stored apart from the engine's jobs,
        // one row per status (a finished one is never changed; the same name on the same sha and ref is updated in place
        // while pending or running), shown under the "External" stage of the commit's pipeline; author_id has no foreign key: a deleted user's statuses stay, without author.
        (150, """
            CREATE TABLE commit_statuses (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                project_id bigint NOT NULL REFERENCES projects(id),
                sha text NOT NULL,
                ref text NOT NULL,
                name text NOT NULL,
                status text NOT NULL,
                target_url text,
                description text,
                coverage double precision,
                pipeline_id bigint,
                author_id bigint,
                created_at timestamptz NOT NULL,
                started_at timestamptz,
                finished_at timestamptz);
            CREATE INDEX commit_statuses_by_sha ON commit_statuses (project_id, sha);
            CREATE INDEX commit_statuses_by_pipeline ON commit_statuses (pipeline_id);
            """),
        // 170-179: when a personal access token was last used (the access tokens page, GET /personal_access_tokens);
        // written at most every ten minutes per token, as GitLab does.
        (170, """
            ALTER TABLE personal_access_tokens ADD COLUMN last_used_at timestamptz;
            """),
        // 180-189: who caused a pipeline (GITLAB_USER_*, job tokens act as them), and the CI/CD job token's inbound
        // scope: whether a project limits job tokens of other projects to its allowlist (GitLab's default), and the list.
        (180, """
            ALTER TABLE pipelines ADD COLUMN user_id bigint;
            ALTER TABLE projects ADD COLUMN job_token_scope_enabled boolean NOT NULL DEFAULT true;
            CREATE TABLE job_token_allowlist (
                project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                allowed_project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                created_at timestamptz NOT NULL,
                PRIMARY KEY (project_id, allowed_project_id)
            );
            """),
        // 190-199: what the pipeline list filters on (GET /projects/:id/pipelines, issue #14): the source and whether it is a
        // tag's (from context_json), its workflow:name (from plan_json; code migration 190 fills both in for older rows), and
        // the pipeline's own variables as given at creation (JSON [{key, value, variable_type, raw}]; null: none recorded).
        (190, """
            ALTER TABLE pipelines ADD COLUMN source text;
            ALTER TABLE pipelines ADD COLUMN tag boolean NOT NULL DEFAULT false;
            ALTER TABLE pipelines ADD COLUMN name text;
            ALTER TABLE pipelines ADD COLUMN variables_json text;
            CREATE INDEX pipelines_by_project_ref ON pipelines (project_id, ref, id);
            """),
        // 200-209: the jobs and artifacts API (Api/JobArtifactActionEndpoints, Api/JobActionEndpoints): when a job's log and
        // artifacts were erased, and the variables a user gave when playing a manual job (sealed with SecretBox), kept
        // per attempt; a later attempt of the same job (a retry) runs with the newest of them.
        (200, """
            ALTER TABLE jobs ADD COLUMN erased_at timestamptz;
            CREATE TABLE job_play_variables (
                job_id bigint PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
                variables_json text NOT NULL,
                created_at timestamptz NOT NULL);
            """),
        // 210-219: trigger tokens and pipeline schedules (Api/TriggerEndpoints, Api/ScheduleEndpoints, Pipelines/PipelineScheduler).
        // A trigger token is known by its hash; sealed_token keeps it encrypted (SecretBox) to show it to its owner. Times are
        // UTC text (yyyy-MM-ddTHH:mm:ss.fffZ, compared as text): a coordinator claims a due schedule by moving next_run_at with
        // a conditional UPDATE. pipeline_schedule_runs lists the pipelines each schedule created.
        (210, """
            CREATE TABLE pipeline_triggers (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                owner_id bigint NOT NULL,
                description text NOT NULL,
                token_hash text NOT NULL UNIQUE,
                sealed_token text NOT NULL,
                created_at text NOT NULL,
                updated_at text NOT NULL,
                last_used_at text);
            CREATE INDEX pipeline_triggers_by_project ON pipeline_triggers (project_id);
            CREATE TABLE pipeline_schedules (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                owner_id bigint NOT NULL,
                description text NOT NULL,
                ref text NOT NULL,
                cron text NOT NULL,
                cron_timezone text NOT NULL,
                active boolean NOT NULL,
                next_run_at text,
                created_at text NOT NULL,
                updated_at text NOT NULL);
            CREATE INDEX pipeline_schedules_by_project ON pipeline_schedules (project_id);
            CREATE INDEX pipeline_schedules_due ON pipeline_schedules (next_run_at) WHERE active;
            CREATE TABLE pipeline_schedule_variables (
                schedule_id bigint NOT NULL REFERENCES pipeline_schedules(id) ON DELETE CASCADE,
                key text NOT NULL,
                value text NOT NULL,
                variable_type text NOT NULL,
                PRIMARY KEY (schedule_id, key));
            CREATE TABLE pipeline_schedule_runs (
                schedule_id bigint NOT NULL REFERENCES pipeline_schedules(id) ON DELETE CASCADE,
                pipeline_id bigint NOT NULL,
                PRIMARY KEY (schedule_id, pipeline_id));
            """),
        // 220-229: downstream pipelines (Pipelines/Downstream, docs/server.md): a job row is a bridge (trigger:, never given
        // to a runner), and a child or multi-project pipeline records the pipeline and bridge job that created it.
        (220, """
            ALTER TABLE jobs ADD COLUMN bridge boolean NOT NULL DEFAULT false;
            ALTER TABLE pipelines ADD COLUMN upstream_pipeline_id bigint;
            ALTER TABLE pipelines ADD COLUMN upstream_job_id bigint;
            CREATE INDEX pipelines_by_upstream_job ON pipelines (upstream_job_id);
            CREATE INDEX pipelines_by_upstream_pipeline ON pipelines (upstream_pipeline_id);
            """),
        // 230-239: outgoing webhooks (Webhooks/, Api/WebhookEndpoints): a project's hooks (token kept encrypted, never shown;
        // recent_failures and disabled_until pause a failing hook, as GitLab does) and the delivery queue, one row per event and
        // hook, sent by a background loop that claims a row with a conditional UPDATE (claimed_until), retried with backoff;
        // times that are compared (next_attempt_at, claimed_until, disabled_until) are UTC text (yyyy-MM-ddTHH:mm:ss.fffZ).
        (230, """
            CREATE TABLE webhooks (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                url text NOT NULL,
                name text NOT NULL DEFAULT '',
                description text NOT NULL DEFAULT '',
                sealed_token text,
                events text NOT NULL DEFAULT '',
                push_events_branch_filter text NOT NULL DEFAULT '',
                enable_ssl_verification boolean NOT NULL DEFAULT true,
                custom_headers text NOT NULL DEFAULT '',
                recent_failures integer NOT NULL DEFAULT 0,
                disabled_until text,
                created_at timestamptz NOT NULL);
            CREATE INDEX webhooks_by_project ON webhooks (project_id);
            CREATE TABLE webhook_deliveries (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                hook_id bigint NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
                project_id bigint NOT NULL,
                event text NOT NULL,
                hook_trigger text NOT NULL,
                uuid text NOT NULL,
                payload text NOT NULL,
                state text NOT NULL,
                attempts integer NOT NULL DEFAULT 0,
                next_attempt_at text NOT NULL,
                claimed_until text,
                response_status integer,
                response_excerpt text,
                error text,
                execution_duration double precision,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL);
            CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
            CREATE INDEX webhook_deliveries_by_hook ON webhook_deliveries (hook_id, id);
            """),
        // 240-249: runner types and CI/CD variables beyond the project (Api/RunnerEndpoints*, Api/GroupVariableEndpoints,
        // Api/InstanceVariableEndpoints): a runner is an instance, group (group_id) or project runner (runner_projects: the
        // projects it is enabled in, the first is its owner); a project may turn instance runners off; registration tokens
        // (legacy POST /runners) for the instance (ci_settings) and each project; variables gain an environment scope (part of
        // their identity: one key per scope) and a description; group and instance variables.
        (240, """
            ALTER TABLE runners ADD COLUMN runner_type text NOT NULL DEFAULT 'instance_type';
            ALTER TABLE runners ADD COLUMN group_id bigint;
            ALTER TABLE runners ADD COLUMN access_level text NOT NULL DEFAULT 'not_protected';
            ALTER TABLE runners ADD COLUMN maximum_timeout integer;
            ALTER TABLE runners ADD COLUMN creator_id bigint;
            CREATE TABLE runner_projects (
                runner_id bigint NOT NULL REFERENCES runners(id) ON DELETE CASCADE,
                project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                created_at timestamptz NOT NULL,
                PRIMARY KEY (runner_id, project_id));
            ALTER TABLE projects ADD COLUMN shared_runners_enabled boolean NOT NULL DEFAULT true;
            ALTER TABLE projects ADD COLUMN runners_token text;
            CREATE TABLE ci_settings (
                name text PRIMARY KEY,
                value text NOT NULL);
            ALTER TABLE project_variables ADD COLUMN environment_scope text NOT NULL DEFAULT '*';
            ALTER TABLE project_variables ADD COLUMN description text;
            ALTER TABLE project_variables DROP CONSTRAINT project_variables_project_id_key_key;
            ALTER TABLE project_variables ADD CONSTRAINT project_variables_project_id_key_scope_key UNIQUE (project_id, key, environment_scope);
            CREATE TABLE group_variables (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                group_id bigint NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
                key text NOT NULL,
                value text NOT NULL,
                variable_type text NOT NULL,
                protected boolean NOT NULL,
                masked boolean NOT NULL,
                raw boolean NOT NULL,
                environment_scope text NOT NULL DEFAULT '*',
                description text,
                created_at timestamptz NOT NULL,
                UNIQUE (group_id, key, environment_scope));
            CREATE TABLE instance_variables (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                key text NOT NULL,
                value text NOT NULL,
                variable_type text NOT NULL,
                protected boolean NOT NULL,
                masked boolean NOT NULL,
                raw boolean NOT NULL,
                environment_scope text NOT NULL DEFAULT '*',
                description text,
                created_at timestamptz NOT NULL,
                UNIQUE (key, environment_scope));
            """),
        // 250-259: releases of a tag with their asset links (issue #14), and generic packages with their files, whose
        // bytes are stored with the artifact blobs (blob_path, relative to the artifacts folder).
        (250, """
            CREATE TABLE releases (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                tag_name text NOT NULL,
                name text NOT NULL,
                description text,
                sha text,
                author_id bigint,
                released_at timestamptz NOT NULL,
                created_at timestamptz NOT NULL,
                UNIQUE (project_id, tag_name));
            CREATE TABLE release_links (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                release_id bigint NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
                name text NOT NULL,
                url text NOT NULL,
                direct_asset_path text,
                link_type text NOT NULL,
                created_at timestamptz NOT NULL);
            CREATE TABLE packages (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                package_type text NOT NULL,
                name text NOT NULL,
                version text NOT NULL,
                status text NOT NULL,
                pipeline_id bigint,
                created_at timestamptz NOT NULL,
                UNIQUE (project_id, package_type, name, version));
            CREATE TABLE package_files (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                package_id bigint NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
                file_name text NOT NULL,
                size bigint NOT NULL,
                file_sha256 text NOT NULL,
                blob_path text NOT NULL,
                created_at timestamptz NOT NULL);
            CREATE INDEX package_files_by_package ON package_files (package_id, file_name);
            """),
        // 260-269: the container registry (issue #15): the repositories of each project's registry, recorded when a push
        // token is first issued for them (as GitLab does); name is the path below the project's ('' for the project's own).
        (260, """
            CREATE TABLE container_repositories (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                name text NOT NULL,
                created_at timestamptz NOT NULL,
                UNIQUE (project_id, name));
            """),
        // 270-279: container image cleanup policies (issue #15, Registry/Cleanup): one row per project that set its policy (the
        // others have GitLab's defaults); times are UTC text compared as text, a coordinator claims a due run by moving
        // next_run_at with a conditional UPDATE; expiration_policy_started_at is when the policy last started on a repository.
        (270, """
            CREATE TABLE container_expiration_policies (
                project_id bigint PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
                enabled boolean NOT NULL,
                cadence text NOT NULL,
                keep_n integer,
                older_than text,
                name_regex text,
                name_regex_keep text,
                next_run_at text,
                created_at text NOT NULL,
                updated_at text NOT NULL);
            CREATE INDEX container_expiration_policies_due ON container_expiration_policies (next_run_at);
            ALTER TABLE container_repositories ADD COLUMN expiration_policy_started_at text;
            """),
        // 280-289: environments and deployments (issue #16): an environment per project and expanded name (slug unique too);
        // a deployment per deploy job attempt (job_id) or per API call (no job), numbered per project (iid); times are UTC text.
        (280, """
            CREATE TABLE environments (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                name text NOT NULL,
                slug text NOT NULL,
                external_url text,
                tier text NOT NULL,
                state text NOT NULL,
                auto_stop_at text,
                kubernetes_namespace text,
                created_at text NOT NULL,
                updated_at text NOT NULL,
                UNIQUE (project_id, name),
                UNIQUE (project_id, slug));
            CREATE INDEX environments_auto_stop ON environments (state, auto_stop_at);
            CREATE TABLE deployments (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                iid bigint NOT NULL,
                project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                environment_id bigint NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
                job_id bigint REFERENCES jobs(id) ON DELETE SET NULL,
                pipeline_id bigint REFERENCES pipelines(id) ON DELETE SET NULL,
                ref text NOT NULL,
                tag boolean NOT NULL,
                sha text NOT NULL,
                user_id bigint REFERENCES users(id) ON DELETE SET NULL,
                status text NOT NULL,
                created_at text NOT NULL,
                updated_at text NOT NULL,
                finished_at text,
                UNIQUE (project_id, iid));
            CREATE INDEX deployments_by_environment ON deployments (environment_id, id);
            CREATE INDEX deployments_by_job ON deployments (job_id);
            """),
        // 290-299: deployments made and moved by jobs (issue #16): a project's "prevent outdated deployment jobs" settings
        // (no row: both on, GitLab's defaults) and the environment effects of a job already applied (a stop job's).
        (290, """
            CREATE TABLE deployment_settings (
                project_id bigint PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
                forward_deployment_enabled boolean NOT NULL,
                forward_deployment_rollback_allowed boolean NOT NULL);
            CREATE TABLE environment_job_effects (
                job_id bigint PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
                status text NOT NULL);
            """),
        // 310-319: projects' Kubernetes settings (issue #16), GitLab's certificate-based "existing cluster" integration: one per
        // project and environment scope; the token sealed with the server's key; jobs get the KUBE_* variables and a KUBECONFIG.
        (310, """
            CREATE TABLE clusters (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                user_id bigint REFERENCES users(id) ON DELETE SET NULL,
                name text NOT NULL,
                domain text,
                enabled boolean NOT NULL,
                managed boolean NOT NULL,
                environment_scope text NOT NULL,
                namespace_per_environment boolean NOT NULL,
                api_url text NOT NULL,
                sealed_token text NOT NULL,
                ca_cert text,
                namespace text,
                authorization_type text NOT NULL,
                created_at text NOT NULL,
                updated_at text NOT NULL,
                UNIQUE (project_id, environment_scope));
            """),
    ];
}
