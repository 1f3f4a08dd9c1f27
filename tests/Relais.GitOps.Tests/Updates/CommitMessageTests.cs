using Relais.GitOps.Config;
using Relais.GitOps.Updates;
using Relais.GitOps.Updates.Templates;
using Relais.Pipelines.Yaml;

namespace Relais.GitOps.Tests.Updates;

/// <summary>Commit messages: Flux's template data through the Go template subset, the default message and <c>[ci skip]</c>.</summary>
public sealed class CommitMessageTests
{
    private static readonly ObjectChange[] Changes =
    [
        new("deploy/app.yaml", new ManifestObject("app", "prod", "apps/v1", "Deployment"), new SetterChange(9, "flux-system:app", "registry/app:1.0.0", "registry/app:1.0.1")),
        new("deploy/app.yaml", new ManifestObject("app", "prod", "apps/v1", "Deployment"), new SetterChange(12, "flux-system:sidecar", "registry/sidecar:2.0", "registry/sidecar:2.1")),
        new("swarm/stack.yml", ManifestObject.None, new SetterChange(4, "flux-system:app:tag", "1.0.0", "1.0.1")),
    ];

    [Fact]
    public void Renders_the_example_template_of_Fluxs_documentation()
    {
        const string template = """
            Automated image update

            Automation name: {{ .AutomationObject }}

            Files:
            {{ range $filename, $_ := .Changed.FileChanges -}}
            - {{ $filename }}
            {{ end -}}

            Objects:
            {{ range $resource, $changes := .Changed.Objects -}}
            - {{ $resource.Kind }} {{ $resource.Name }}
              Changes:
            {{- range $_, $change := $changes }}
                - {{ $change.OldValue }} -> {{ $change.NewValue }}
            {{ end -}}
            {{ end -}}
            """;
        var message = CommitMessage.Render(Automation(template), Changes);
        Assert.Equal("""
            Automated image update

            Automation name: flux-system/images

            Files:
            - deploy/app.yaml
            - swarm/stack.yml
            Objects:
            -  
              Changes:
                - 1.0.0 -> 1.0.1
            - Deployment app
              Changes:
                - registry/app:1.0.0 -> registry/app:1.0.1

                - registry/sidecar:2.0 -> registry/sidecar:2.1

            [ci skip]

            """, message);
    }

    [Fact]
    public void Supports_range_over_changes_if_else_print_println_printf_and_pipes()
    {
        const string template = """
            {{- range .Changed.Changes }}{{ printf "%s: %s -> %q" .Setter .OldValue .NewValue | println }}{{ end -}}
            {{ if .Changed.Changes }}{{ len .Changed.Changes | print "changes: " }}{{ else }}none{{ end }}
            {{ range .Values }}x{{ else }}no values{{ end }} {{ .AutomationObject.Namespace | upper }} {{ print 1 2 "a" "b" }}
            {{- /* a comment */ -}}
            """;
        var message = CommitMessage.Render(Automation(template, ciSkip: false), Changes);
        Assert.Equal("""
            flux-system:app: registry/app:1.0.0 -> "registry/app:1.0.1"
            flux-system:sidecar: registry/sidecar:2.0 -> "registry/sidecar:2.1"
            flux-system:app:tag: 1.0.0 -> "1.0.1"
            changes: 3
            no values FLUX-SYSTEM 1 2ab
            """, message);
    }

    [Fact]
    public void The_default_message_is_Fluxs_with_ci_skip_appended_unless_asked_otherwise()
    {
        Assert.Equal("Update from image update automation\n\n[ci skip]\n", CommitMessage.Render(Automation(null), Changes));
        Assert.Equal("Update from image update automation", CommitMessage.Render(Automation(null, ciSkip: false), Changes));
        Assert.Equal("Bump [skip ci]", CommitMessage.Render(Automation("Bump [skip ci]"), Changes));
        Assert.Equal("Bump [CI-SKIP] now", CommitMessage.Render(Automation("Bump [CI-SKIP] now"), Changes));
    }

    [Theory]
    [InlineData("{{ with .Changed }}x{{ end }}", "messageTemplate: line 1: {{ with }} is not supported")]
    [InlineData("{{ template \"x\" }}", "messageTemplate: line 1: {{ template }} is not supported")]
    [InlineData("a\n{{ .Changed.Nope }}", "messageTemplate: can't evaluate field Nope in type update.Result")]
    [InlineData("{{ range .Updated.Images }}{{ . }}{{ end }}", "messageTemplate: the Updated template data was removed (as in Flux): use Changed")]
    [InlineData("{{ .AutomationObject | title }}", "messageTemplate: function \"title\" is not supported")]
    [InlineData("{{ printf \"%x\" 1 }}", "messageTemplate: printf verb %x is not supported")]
    [InlineData("{{ (print 1) }}", "messageTemplate: line 1: \"(\" is not supported here")]
    [InlineData("{{ if .Changed }}open", "messageTemplate: line 1: if without end")]
    [InlineData("x\n{{ end }}", "messageTemplate: line 2: unexpected {{ end }}")]
    [InlineData("{{ .Changed", "messageTemplate: line 1: unclosed action")]
    public void An_unsupported_or_wrong_template_is_a_clear_error(string template, string error)
    {
        var e = Assert.Throws<TemplateException>(() => CommitMessage.Render(Automation(template), Changes));
        Assert.StartsWith(error, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_ci_skip_annotation_is_read_from_the_automation()
    {
        using var folder = new Tests.Config.ConfigFolder();
        folder.Write("flux.yaml", """
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata: { name: app }
            spec: { url: "https://example.com/app.git", interval: 1m, ref: { branch: main } }
            ---
            apiVersion: image.toolkit.fluxcd.io/v1
            kind: ImageUpdateAutomation
            metadata:
              name: review
              annotations:
                gitops.relais.dev/ci-skip: "false"
            spec:
              sourceRef: { kind: GitRepository, name: app }
              interval: 1m
              git: { commit: { author: { email: bot@example.com } } }
            ---
            apiVersion: image.toolkit.fluxcd.io/v1
            kind: ImageUpdateAutomation
            metadata: { name: default }
            spec:
              sourceRef: { kind: GitRepository, name: app }
              interval: 1m
              git: { commit: { author: { email: bot@example.com } } }
            ---
            apiVersion: image.toolkit.fluxcd.io/v1
            kind: ImageUpdateAutomation
            metadata:
              name: wrong
              annotations: { gitops.relais.dev/ci-skip: "maybe" }
            spec:
              sourceRef: { kind: GitRepository, name: app }
              interval: 1m
              git: { commit: { author: { email: bot@example.com } } }
            """);
        var result = GitOpsConfig.Load(folder.Dir, null);
        Assert.Equal(["flux.yaml:29:45: metadata.annotations.gitops.relais.dev/ci-skip: expected \"true\" or \"false\""], result.Errors.Select(e => e.ToString()));
        folder.Write("flux.yaml", File.ReadAllText(Path.Combine(folder.Dir, "flux.yaml")).Replace("\"maybe\"", "\"true\"", StringComparison.Ordinal));
        var automations = GitOpsConfig.Load(folder.Dir, null).Config!.ImageUpdateAutomations.ToDictionary(a => a.Name, a => a.CiSkip);
        Assert.Equal(new Dictionary<string, bool> { ["review"] = false, ["default"] = true, ["wrong"] = true }, automations);
    }

    internal static ImageUpdateAutomation Automation(string? template, bool ciSkip = true) =>
        new("images", "flux-system", SourceLocation.None, new ResourceRef("GitRepository", "app", "flux-system", SourceLocation.None),
            TimeSpan.FromMinutes(1), "main", null, "Flux", "flux@example.com", template, "./", "Setters", false)
        { CiSkip = ciSkip };
}
