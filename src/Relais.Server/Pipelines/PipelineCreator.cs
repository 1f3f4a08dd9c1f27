using Relais.Driver;
using Relais.Engine;
using Relais.Pipelines;
using Relais.Pipelines.Context;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Sources;
using Relais.Protocol;
using Relais.Server.Storage;
using Relais.Server.Storage.Json;

namespace Relais.Server.Pipelines;

/// <summary>What a new pipeline is made from: the files at its commit and its context (ref, sha, variables…). Ids are filled in by the server.</summary>
public sealed record PipelineInput(IConfigSource Source, PipelineContext Context)
{
    /// <summary>
    /// Called with the new pipeline's id before its first jobs are enqueued (git creates <c>refs/pipelines/ID</c>
    /// here, so a runner that claims a job at once can already fetch it); not called when the pipeline fails to
    /// compile or is filtered out.
    /// </summary>
    public Func<long, Task>? BeforeStart { get; init; }

    /// <summary>Values for the configuration file's own <c>spec:inputs</c> (a push's <c>-o ci.input=</c>); null: none given.</summary>
    public IReadOnlyDictionary<string, Relais.Pipelines.Yaml.YamlNode>? Inputs { get; init; }
}

/// <summary>
/// The pipeline that was created: its id, status, and the compile diagnostics (errors make it failed). When
/// <c>workflow:rules</c> create no pipeline, none is kept (as in GitLab): <see cref="Created"/> is false, <see cref="Id"/>
/// is 0, <see cref="Status"/> is null and <see cref="FilteredOutBy"/> says which rule decided.
/// </summary>
public sealed record CreatedPipeline(long Id, CiStatus? Status, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>GitLab's message when workflow rules create no pipeline.</summary>
    public const string FilteredOutMessage = "Pipeline filtered out by workflow rules.";

    /// <summary>Why <c>workflow:rules</c> created no pipeline; null when one was created.</summary>
    public string? FilteredOutBy { get; init; }

    public bool Created => FilteredOutBy is null;
}

/// <summary>
/// Creates a pipeline: stores its row (to get its id), compiles the configuration with that id in the
/// context (with the CI/CD variables of the instance, the project's groups and the project: <see cref="CiVariables"/>), and stores the plan and the engine's first state (which enqueues the first jobs). A configuration
/// with errors gives a failed pipeline that carries the diagnostics; one whose <c>workflow:rules</c> create no pipeline
/// leaves none. Git pushes and the API call this.
/// </summary>
public sealed class PipelineCreator(IPipelineStore pipelines, IProjectStore projects, IVariableStore variables, PipelineDriver driver, TimeProvider time, string externalUrl, Security.SecretBox secrets, DeployTokenVariables? deployTokens = null)
{
    /// <summary>The container registry's <c>host:port</c> (issue #15), so <c>rules:if</c> sees <c>CI_REGISTRY</c> and <c>CI_REGISTRY_IMAGE</c>; null without one.</summary>
    public string? RegistryAddress { get; init; }

    public async Task<CreatedPipeline> CreateAsync(ProjectRecord project, PipelineInput input)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(input);
        var now = time.GetUtcNow();
        // Protected project variables reach only protected branches and tags (the default branch is protected when a project is made).
        var refProtected = await ProtectedRefs.IsProtectedAsync(projects, project, input.Context.Ref, input.Context.IsTag);
        var ciVariables = await CiVariables.ForProjectAsync(variables, project, refProtected);
        var context = input.Context with
        {
            RefProtected = refProtected,
            Variables = [.. deployTokens is null ? [] : await deployTokens.ForProjectAsync(project.Id), .. ciVariables, .. input.Context.Variables],
            ProjectId = project.Id,
            ProjectPath = project.Path,
            DefaultBranch = project.DefaultBranch,
            ServerUrl = externalUrl,
            RegistryAddress = RegistryAddress,
        };
        // The stored copy of the context keeps masked values encrypted (PayloadFactory opens them for the job).
        var stored = context with { Variables = [.. context.Variables.Select(v => v.Masked ? v with { Value = secrets.Protect(v.Value) } : v)] };
        // The caller's variables are the pipeline's own (GET /pipelines/:id/variables shows them apart from the project's).
        var id = await pipelines.InsertPipelineAsync(project.Id, context.Ref, context.Sha, StateJson.Write(stored), now, context.User?.Id, PipelineVariablesJson.Write(input.Context.Variables));
        context = context with { PipelineId = id, PipelineIid = id };
        // Not cancellable: the pipeline's row exists, so it is finished (created, failed or filtered), never abandoned.
        var result = await AsyncCompile.CompileAsync(new CompileRequest(input.Source, context) { EntryFile = context.ConfigPath, Inputs = input.Inputs }, CancellationToken.None);
        if (!result.HasErrors && result.Plan is null)
        {
            await pipelines.DeleteUnstartedPipelineAsync(id);
            return new CreatedPipeline(0, null, result.Diagnostics) { FilteredOutBy = result.Workflow.Reason };
        }

        if (result.HasErrors || result.Plan is null)
        {
            await pipelines.FailPipelineAsync(id, StateJson.Write(result.Diagnostics), now);
            return new CreatedPipeline(id, CiStatus.Failed, result.Diagnostics);
        }

        if (input.BeforeStart is { } beforeStart)
        {
            await beforeStart(id);
        }

        var step = await driver.CreateAsync(id, result.Plan, now);
        return new CreatedPipeline(id, step.State.Status, result.Diagnostics);
    }

    /// <summary>
    /// Records a pipeline that is skipped, as GitLab's <c>Chain::Skip</c> does for a push saying <c>[ci skip]</c>:
    /// its row with status <c>skipped</c> and no jobs; the configuration is not read.
    /// </summary>
    public async Task<long> CreateSkippedAsync(ProjectRecord project, PipelineContext context)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(context);
        var now = time.GetUtcNow();
        var stored = context with { ProjectId = project.Id, ProjectPath = project.Path, DefaultBranch = project.DefaultBranch, ServerUrl = externalUrl };
        var id = await pipelines.InsertPipelineAsync(project.Id, context.Ref, context.Sha, StateJson.Write(stored), now, context.User?.Id, PipelineVariablesJson.Write(context.Variables));
        await pipelines.SkipPipelineAsync(id, now);
        return id;
    }
}
