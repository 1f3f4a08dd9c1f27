using Relais.GitOps.Config;
using Relais.GitOps.Policies;

namespace Relais.GitOps.Tests.Config;

/// <summary>Reading the configuration folder: one of each kind, multi-document files, and the errors with their places.</summary>
public sealed class GitOpsConfigTests
{
    private const string Source = """
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata:
          name: app
          namespace: flux-system
        spec:
          url: ssh://git@gitlab:2222/group/app.git
          ref:
            branch: master
          interval: 1m30s
          timeout: 60s
          secretRef:
            name: deploy-key
        """;

    private const string Images = """
        apiVersion: image.toolkit.fluxcd.io/v1beta2
        kind: ImageRepository
        metadata:
          name: app
        spec:
          image: registry.example.com/group/app
          interval: 5s
          exclusionList: ["^tmp$"]
          insecure: true
        ---
        apiVersion: image.toolkit.fluxcd.io/v1
        kind: ImagePolicy
        metadata:
          name: app
        spec:
          imageRepositoryRef:
            name: app
          filterTags:
            pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)'
            extract: '$ts'
          policy:
            numerical:
              order: asc
        ---
        apiVersion: image.toolkit.fluxcd.io/v1
        kind: ImagePolicy
        metadata:
          name: app-semver
        spec:
          imageRepositoryRef:
            name: app
          policy:
            semver:
              range: '>=1.0.0'
        ---
        apiVersion: image.toolkit.fluxcd.io/v1
        kind: ImageUpdateAutomation
        metadata:
          name: app
        spec:
          interval: 5s
          sourceRef:
            kind: GitRepository
            name: app
          git:
            checkout:
              ref:
                branch: master
            push:
              branch: gitops-updates
            commit:
              author:
                name: relais-gitops
                email: gitops@example.com
              messageTemplate: 'Update images [ci skip]'
          update:
            path: ./swarm
            strategy: Setters
        """;

    private const string Targets = """
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: app
        spec:
          sourceRef:
            kind: GitRepository
            name: app
          path: ./kubernetes
          prune: true
          interval: 10m
          targetNamespace: production
        ---
        apiVersion: gitops.relais.dev/v1
        kind: SwarmStack
        metadata: { name: demo, namespace: flux-system }
        spec:
          sourceRef: { kind: GitRepository, name: app }
          path: ./swarm/stack.yml
          stack: demo
          prune: true
          interval: 5s
          dockerHost: unix:///var/run/docker.sock
          environment: production
          project: group/app
        ---
        apiVersion: gitops.relais.dev/v1
        kind: ComposeProject
        metadata: { name: single-host }
        spec:
          sourceRef: { kind: GitRepository, name: app }
          path: ./compose.yml
          project: web
          interval: 1m
          dockerHost: ssh://deploy@web1
        """;

    private const string DeployKey = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: deploy-key
        stringData:
          identity: "-----BEGIN OPENSSH PRIVATE KEY-----"
        data:
          known_hosts: Z2l0bGFiIHNzaC1lZDI1NTE5IEFBQUE=
        """;

    [Fact]
    public void A_folder_with_one_of_each_kind_loads_into_the_expected_objects()
    {
        using var folder = new ConfigFolder()
            .Write("source.yaml", Source).Write("images/app.yml", Images).Write("targets.yaml", Targets)
            .WriteSecret("deploy-key.yaml", DeployKey);

        var result = GitOpsConfig.Load(folder.Dir, folder.SecretsDir);

        Assert.Empty(result.Errors);
        var config = result.Config!;
        var git = Assert.Single(config.GitRepositories);
        Assert.Equal(("app", "flux-system", "ssh://git@gitlab:2222/group/app.git", "master"), (git.Name, git.Namespace, git.Url, git.Ref!.Branch));
        Assert.Equal(TimeSpan.FromSeconds(90), git.Interval);
        Assert.Equal(TimeSpan.FromSeconds(60), git.Timeout);
        Assert.Equal("flux-system/deploy-key", git.SecretRef!.Key);

        var repository = Assert.Single(config.ImageRepositories);
        Assert.Equal(("registry.example.com/group/app", true, "generic"), (repository.Image, repository.Insecure, repository.Provider));
        Assert.Equal(["^tmp$"], repository.ExclusionList);
        Assert.Equal("images/app.yml:1:1", repository.Location.ToString());

        var numerical = config.ImagePolicies.Single(p => p.Name == "app");
        Assert.IsType<NumericalPolicy>(numerical.Rule);
        Assert.Equal("main-def456-1700000009", numerical.Rule.Latest(["main-abc123-1700000001", "main-def456-1700000009", "1.0.0"], numerical.Filter));
        var semver = config.ImagePolicies.Single(p => p.Name == "app-semver");
        Assert.Equal("1.1.0", semver.Rule.Latest(["1.0.0", "1.1.0", "0.9.0", "tmp"], semver.Filter));
        Assert.Equal("flux-system/app", semver.ImageRepositoryRef.Key);

        var automation = Assert.Single(config.ImageUpdateAutomations);
        Assert.Equal(("master", "gitops-updates", "relais-gitops", "gitops@example.com", "Update images [ci skip]", "./swarm", "Setters"),
            (automation.CheckoutBranch, automation.PushBranch, automation.AuthorName, automation.AuthorEmail, automation.MessageTemplate, automation.UpdatePath, automation.Strategy));
        Assert.Equal(TimeSpan.FromSeconds(5), automation.Interval);

        var kustomization = Assert.Single(config.Kustomizations);
        Assert.Equal(("./kubernetes", true, "production", TimeSpan.FromMinutes(10)), (kustomization.Path, kustomization.Prune, kustomization.TargetNamespace, kustomization.Interval));

        var swarm = config.DockerDeployments.Single(d => d.Kind == "SwarmStack");
        Assert.Equal(("demo", "./swarm/stack.yml", true, "unix:///var/run/docker.sock", "production", "group/app"),
            (swarm.DeploymentName, swarm.Path, swarm.Prune, swarm.DockerHost, swarm.Environment, swarm.Project));
        var compose = config.DockerDeployments.Single(d => d.Kind == "ComposeProject");
        Assert.Equal(("web", false, "ssh://deploy@web1", "flux-system"), (compose.DeploymentName, compose.Prune, compose.DockerHost, compose.Namespace));

        var secret = Assert.Single(config.Secrets);
        Assert.Equal("-----BEGIN OPENSSH PRIVATE KEY-----", secret.Data["identity"]);
        Assert.Equal("gitlab ssh-ed25519 AAAA", secret.Data["known_hosts"]);
    }

    [Fact]
    public void The_tutorials_flux_v1_deployment_is_not_a_resource_and_is_ignored()
    {
        using var folder = new ConfigFolder().Write("source.yaml", Source.Replace("  secretRef:\n    name: deploy-key", "", StringComparison.Ordinal)).Write("kubernetes/deployment.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: shark
              annotations:
                flux.weave.works/automated: "true"
                flux.weave.works/tag.shark-app: regexp:^((?!tmp).)*$
            spec:
              template:
                spec:
                  containers:
                    - name: shark-app
                      image: registry/shark:1.0.0
            ---
            apiVersion: v1
            kind: Service
            metadata: { name: shark }
            """);

        var result = GitOpsConfig.Load(folder.Dir, null);

        Assert.Empty(result.Errors);
        Assert.Single(result.Config!.Resources);
    }

    [Theory]
    [InlineData("  interval: 5x\n", "repo.yaml:7:13: spec.interval: \"5x\" is not a duration (e.g. 5m, 1h30m)")]
    [InlineData("  interval: 5m\n  timout: 1m\n", "repo.yaml:8:3: unknown field \"spec.timout\" (did you mean timeout?)")]
    [InlineData("  interval: 5m\n  ref: { branch: [main] }\n", "repo.yaml:8:18: spec.ref.branch: expected a string, found a list")]
    [InlineData("  interval: 5m\n  verify: { mode: HEAD }\n", "repo.yaml:8:3: spec.verify: Flux's field is not supported by relais gitops")]
    [InlineData("  interval: 5m\n  suspend: maybe\n", "repo.yaml:8:12: spec.suspend: expected true or false, found a string")]
    public void Field_errors_name_the_field_and_its_place(string tail, string expected)
    {
        using var folder = new ConfigFolder().Write("repo.yaml", """
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata:
              name: app
            spec:
              url: https://example.com/app.git

            """.TrimEnd('\n') + "\n" + tail);

        var result = GitOpsConfig.Load(folder.Dir, null);

        Assert.Null(result.Config);
        Assert.Equal([expected], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_misspelt_required_field_is_unknown_with_a_suggestion_and_missing()
    {
        using var folder = new ConfigFolder().Write("repo.yaml", """
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata:
              name: app
            spec:
              url: https://example.com/app.git
              intervl: 5m
            """);

        var errors = GitOpsConfig.Load(folder.Dir, null).Errors.Select(e => e.ToString());

        Assert.Equal([
            "repo.yaml:6:3: spec.interval: required field is missing",
            "repo.yaml:7:3: unknown field \"spec.intervl\" (did you mean interval?)",
        ], errors);
    }

    [Fact]
    public void An_automations_commit_author_needs_an_email_as_in_flux()
    {
        using var folder = new ConfigFolder().Write("source.yaml", Source.Replace("  secretRef:\n    name: deploy-key", "", StringComparison.Ordinal)).Write("auto.yaml", """
            apiVersion: image.toolkit.fluxcd.io/v1
            kind: ImageUpdateAutomation
            metadata: { name: app }
            spec:
              interval: 5s
              sourceRef: { kind: GitRepository, name: app }
              git:
                commit:
                  author: { name: bot }
            """);

        var errors = GitOpsConfig.Load(folder.Dir, null).Errors.Select(e => e.ToString());

        Assert.Equal(["auto.yaml:9:15: spec.git.commit.author.email: required field is missing"], errors);
    }

    [Fact]
    public void A_yaml_syntax_error_and_a_bad_base64_secret_are_both_reported_with_their_files()
    {
        using var folder = new ConfigFolder().Write("broken.yaml", "apiVersion: v1\nkind: [unclosed\n")
            .WriteSecret("key.yaml", "apiVersion: v1\nkind: Secret\nmetadata: { name: k }\ndata: { password: '%%%' }\n");

        var errors = GitOpsConfig.Load(folder.Dir, folder.SecretsDir).Errors.Select(e => e.ToString()).ToList();

        Assert.Equal(2, errors.Count);
        Assert.StartsWith("broken.yaml:", errors[0]);
        Assert.Contains("YAML syntax", errors[0], StringComparison.Ordinal);
        Assert.Equal("key.yaml:4:19: data.password: not valid base64 (use stringData for plain text)", errors[1]);
    }

    [Fact]
    public void A_missing_required_field_is_reported_at_its_hash()
    {
        using var folder = new ConfigFolder().Write("repo.yaml", """
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata:
              name: app
            spec:
              interval: 5m
            """);

        var errors = GitOpsConfig.Load(folder.Dir, null).Errors.Select(e => e.ToString());

        Assert.Equal(["repo.yaml:6:3: spec.url: required field is missing"], errors);
    }

    [Fact]
    public void A_bad_semver_range_or_tag_pattern_is_an_error_at_its_position()
    {
        using var folder = new ConfigFolder().Write("images.yaml", """
            apiVersion: image.toolkit.fluxcd.io/v1
            kind: ImageRepository
            metadata: { name: app }
            spec: { image: registry/app, interval: 1m }
            ---
            apiVersion: image.toolkit.fluxcd.io/v1
            kind: ImagePolicy
            metadata: { name: app }
            spec:
              imageRepositoryRef: { name: app }
              policy:
                semver:
                  range: '>=x.y'
            ---
            apiVersion: image.toolkit.fluxcd.io/v1
            kind: ImagePolicy
            metadata: { name: other }
            spec:
              imageRepositoryRef: { name: app }
              filterTags:
                pattern: '^(unclosed'
              policy:
                alphabetical: { order: sideways }
            """);

        var errors = GitOpsConfig.Load(folder.Dir, null).Errors.Select(e => e.ToString()).ToList();

        Assert.Equal(3, errors.Count);
        Assert.StartsWith("images.yaml:13:14: spec.policy.semver.range: ", errors[0]);
        Assert.StartsWith("images.yaml:21:5: spec.filterTags.pattern: ", errors[1]);
        Assert.Equal("images.yaml:23:28: spec.policy.alphabetical.order: \"sideways\" is not one of asc, desc", errors[2]);
    }

    [Fact]
    public void A_dangling_reference_is_an_error_where_it_is_written()
    {
        using var folder = new ConfigFolder().Write("stack.yaml", """
            apiVersion: gitops.relais.dev/v1
            kind: SwarmStack
            metadata: { name: demo }
            spec:
              sourceRef: { kind: GitRepository, name: missing }
              path: ./stack.yml
              interval: 5s
            """);

        var errors = GitOpsConfig.Load(folder.Dir, null).Errors.Select(e => e.ToString());

        Assert.Equal(["stack.yaml:5:14: GitRepository \"flux-system/missing\" is not defined"], errors);
    }

    [Fact]
    public void A_secret_in_the_watched_folder_is_an_error()
    {
        using var folder = new ConfigFolder().Write("key.yaml", "apiVersion: v1\nkind: Secret\nmetadata: { name: k }\nstringData: { a: b }\n");

        var errors = GitOpsConfig.Load(folder.Dir, null).Errors.Select(e => e.ToString());

        Assert.Equal(["key.yaml:2:7: a Secret: secrets are read from --secrets DIR, never from the watched repository"], errors);
    }

    [Fact]
    public void An_unknown_kind_of_a_known_api_version_is_an_error_and_errors_of_several_documents_are_all_reported()
    {
        using var folder = new ConfigFolder().Write("all.yaml", """
            apiVersion: image.toolkit.fluxcd.io/v1
            kind: ImagePolicies
            metadata: { name: a }
            ---
            apiVersion: kustomize.toolkit.fluxcd.io/v1beta1
            kind: Kustomization
            metadata: { name: b }
            """);

        var errors = GitOpsConfig.Load(folder.Dir, null).Errors.Select(e => e.ToString());

        Assert.Equal([
            "all.yaml:2:7: kind \"ImagePolicies\" is not one of image.toolkit.fluxcd.io/v1's kinds: ImageRepository, ImagePolicy, ImageUpdateAutomation",
            "all.yaml:5:13: apiVersion \"kustomize.toolkit.fluxcd.io/v1beta1\" is not supported (read: source.toolkit.fluxcd.io/v1, image.toolkit.fluxcd.io/v1, image.toolkit.fluxcd.io/v1beta2, kustomize.toolkit.fluxcd.io/v1, gitops.relais.dev/v1)",
        ], errors);
    }

    [Theory]
    [InlineData("5s", 5_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("250ms", 250)]
    [InlineData("0", 0)]
    public void Go_durations_parse(string text, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), GoDuration.TryParse(text));

    [Theory]
    [InlineData("5x")]
    [InlineData("5")]
    [InlineData("")]
    [InlineData("m5")]
    public void Other_text_is_not_a_go_duration(string text) => Assert.Null(GoDuration.TryParse(text));
}
