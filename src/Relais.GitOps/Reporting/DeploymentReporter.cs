using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Relais.GitOps.Agent;
using Relais.GitOps.Appliers;
using Relais.GitOps.Config;
using Relais.GitOps.Sources;

namespace Relais.GitOps.Reporting;

/// <summary>
/// Reports applies to Relais (or GitLab) as deployments of an environment, through the deployments API:
/// <c>POST /api/v4/projects/:id/deployments</c> (<c>status: running</c>) before a new commit is applied, then
/// <c>PUT …/deployments/:deployment_id</c> <c>success</c> or <c>failed</c>. An apply of a commit already reported that
/// changed something (drift corrected) is reported once it ended. A coordinator that cannot be reached never stops an
/// apply: what could not be sent is sent again before the resource's next apply. The token goes only in the
/// <c>PRIVATE-TOKEN</c> header, never in a log line.
/// </summary>
public sealed class DeploymentReporter : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _stateDirectory;
    private readonly AgentLog _log;
    private readonly Dictionary<string, List<PendingReport>> _pending = new(StringComparer.Ordinal);

    public DeploymentReporter(Uri coordinator, string token, string stateDirectory, AgentLog log, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = new Uri(coordinator.ToString().TrimEnd('/') + "/api/v4/");
        _http.Timeout = TimeSpan.FromSeconds(30);
        _http.DefaultRequestHeaders.Add("PRIVATE-TOKEN", token);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _stateDirectory = stateDirectory;
        _log = log;
    }

    /// <summary>Before an apply: sends what is still pending for the resource, then (for a commit not yet reported) makes a <c>running</c> deployment.</summary>
    /// <returns>The report to finish, or null when the resource names no project and environment.</returns>
    public async Task<DeploymentReport?> StartAsync(GitOpsResource resource, SourceArtifact source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(source);
        if (DeploymentTarget.Of(resource) is not { } target)
        {
            return null;
        }

        await SendPendingAsync(resource, cancellationToken).ConfigureAwait(false);
        var report = new DeploymentReport(resource, target, source, NewCommit: LastReported(resource) != source.Commit && !IsPending(resource, source.Commit));
        if (report.NewCommit)
        {
            report.DeploymentId = await TryCreateAsync(report, "running", cancellationToken).ConfigureAwait(false);
        }

        return report;
    }

    /// <summary>After an apply: <c>success</c> when healthy, else <c>failed</c>; kept for the next apply when the coordinator does not answer.</summary>
    public async Task FinishAsync(DeploymentReport report, ApplyResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(result);
        if (!report.NewCommit && result.Changed.Count == 0)
        {
            return;
        }

        var pending = new PendingReport(report, result.Healthy ? "success" : "failed");
        if (!await TrySendAsync(pending, cancellationToken).ConfigureAwait(false))
        {
            lock (_pending)
            {
                var list = _pending.TryGetValue(report.Resource.Key + report.Resource.Kind, out var existing) ? existing : _pending[report.Resource.Key + report.Resource.Kind] = [];
                list.Add(pending);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private bool IsPending(GitOpsResource resource, string commit)
    {
        lock (_pending)
        {
            return _pending.TryGetValue(resource.Key + resource.Kind, out var list) && list.Any(p => p.Report.Source.Commit == commit);
        }
    }

    private async Task SendPendingAsync(GitOpsResource resource, CancellationToken cancellationToken)
    {
        List<PendingReport> pending;
        lock (_pending)
        {
            if (!_pending.Remove(resource.Key + resource.Kind, out var list))
            {
                return;
            }

            pending = list;
        }

        var unsent = new List<PendingReport>();
        foreach (var report in pending)
        {
            if (unsent.Count > 0 || !await TrySendAsync(report, cancellationToken).ConfigureAwait(false))
            {
                unsent.Add(report);
            }
        }

        if (unsent.Count > 0)
        {
            lock (_pending)
            {
                _pending[resource.Key + resource.Kind] = unsent;
            }
        }
    }

    /// <summary>Moves the deployment to its final status (making it with that status when it was never made).</summary>
    private async Task<bool> TrySendAsync(PendingReport pending, CancellationToken cancellationToken)
    {
        var report = pending.Report;
        if (report.DeploymentId is null)
        {
            report.DeploymentId = await TryCreateAsync(report, pending.Status, cancellationToken).ConfigureAwait(false);
            return report.DeploymentId is not null;
        }

        var path = $"projects/{Uri.EscapeDataString(report.Target.Project)}/deployments/{report.DeploymentId}";
        return await TrySendAsync(report, () => _http.PutAsJsonAsync(path, new { status = pending.Status }, cancellationToken), cancellationToken).ConfigureAwait(false) is not null;
    }

    private async Task<long?> TryCreateAsync(DeploymentReport report, string status, CancellationToken cancellationToken)
    {
        var (reference, tag) = RefOf(report.Source);
        var body = new { environment = report.Target.Environment, sha = report.Source.Commit, @ref = reference, tag, status };
        var path = $"projects/{Uri.EscapeDataString(report.Target.Project)}/deployments";
        var answer = await TrySendAsync(report, () => _http.PostAsJsonAsync(path, body, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (answer is not { } json || !json.TryGetProperty("id", out var id) || !id.TryGetInt64(out var deploymentId))
        {
            return null;
        }

        Remember(report.Resource, report.Source.Commit);
        _log.Event(report.Resource, $"deployment {deploymentId} of {report.Source.Commit[..Math.Min(8, report.Source.Commit.Length)]} to {report.Target.Project} {report.Target.Environment}: {status}");
        return deploymentId;
    }

    /// <summary>Sends one request; answers its JSON body, or null (logged once) when the coordinator failed or refused.</summary>
    private async Task<JsonElement?> TrySendAsync(DeploymentReport report, Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        string problem;
        try
        {
            using var response = await send().ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                _log.Ready(report.Resource, "deployment", $"deployments reported to {report.Target.Project} again");
                using var json = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
                return json.RootElement.Clone();
            }

            problem = $"{(int)response.StatusCode} {Shorten(text)}";
        }
        catch (HttpRequestException e)
        {
            problem = e.Message;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            problem = "timed out";
        }
        catch (JsonException e)
        {
            problem = "not JSON: " + e.Message;
        }

        _log.Problem(report.Resource, $"deployment to {report.Target.Project} {report.Target.Environment} not reported ({problem}); sent again before the next apply", "deployment");
        return null;
    }

    private static (string Ref, bool Tag) RefOf(SourceArtifact source)
    {
        if (source.Branch is { } branch)
        {
            return (branch, false);
        }

        var at = source.Revision.IndexOf('@', StringComparison.Ordinal);
        return at > 0 ? (source.Revision[..at], !source.Revision.StartsWith("refs/", StringComparison.Ordinal)) : (source.Commit, false);
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text.Trim();

    private string ReportedPath(GitOpsResource resource) => Path.Combine(_stateDirectory, "reported", $"{resource.Kind}.{resource.Namespace}.{resource.Name}");

    private string? LastReported(GitOpsResource resource) => File.Exists(ReportedPath(resource)) ? File.ReadAllText(ReportedPath(resource)).Trim() : null;

    private void Remember(GitOpsResource resource, string commit)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ReportedPath(resource))!);
        File.WriteAllText(ReportedPath(resource), commit + "\n");
    }

    private sealed record PendingReport(DeploymentReport Report, string Status);
}
