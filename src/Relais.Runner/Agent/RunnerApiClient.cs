using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Relais.Runner.Jobs;
using Relais.Protocol;
using Relais.Protocol.Requests;

namespace Relais.Runner.Agent;

/// <summary>
/// The runner's side of GitLab's runner API v4, over one base URL: verify, job requests (long polled), job updates and
/// trace patches. Every call returns its result as a value (status, what the server asked for); only programming
/// errors throw. Job-level calls (<see cref="UpdateJobAsync"/>, <see cref="PatchTraceAsync"/>) retry transient
/// failures (no connection, 5xx, 408, 429) with <see cref="RetryBackoff"/>; a job request is never retried here, as
/// the polling loop decides when to ask again. Thread-safe.
/// </summary>
public sealed class RunnerApiClient : IDisposable
{
    /// <summary>The trace bytes one PATCH carries at most (gitlab-runner's default, 1 MiB).</summary>
    public const int MaxPatchBytes = 1024 * 1024;

    private readonly HttpClient _http;
    private readonly RetryBackoff _backoff;

    /// <summary>Creates a client for the server at <paramref name="url"/> (its <c>/api/v4/</c> is added).</summary>
    /// <param name="url">The server URL as configured (a trailing <c>/</c> or <c>/ci</c> is dropped).</param>
    /// <param name="backoff">The retry policy for transient failures.</param>
    /// <param name="handler">The HTTP handler (tests); null uses a pooled <see cref="SocketsHttpHandler"/>.</param>
    public RunnerApiClient(Uri url, RetryBackoff? backoff = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        ServerUrl = url;
        _backoff = backoff ?? new RetryBackoff();
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = ApiBase(url),
            Timeout = Timeout.InfiniteTimeSpan, // calls carry their own tokens; long polls last about a minute
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("relais-runner", RunnerVersion.Version));
    }

    /// <summary>The server URL as configured.</summary>
    public Uri ServerUrl { get; }

    /// <summary>What the runner tells the server about itself (<c>info</c>).</summary>
    public RunnerDetails Info { get; init; } = AgentInfo.Details("shell");

    /// <summary>How long a job request may be held before the client gives up on it (default 90 s).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(90);

    internal HttpClient Http => _http;

    internal RetryBackoff Backoff => _backoff;

    /// <summary><c>POST /runners/verify</c>: checks the token, trying up to 3 times on transient failures (an operator is waiting).</summary>
    public async Task<VerifyOutcome> VerifyAsync(string token, string? systemId, CancellationToken cancellationToken)
    {
        var body = ProtocolJson.Write(new VerifyRunnerRequest { Token = token, SystemId = systemId, Info = Info });
        var (response, error) = await SendAsync(() => Json(HttpMethod.Post, "runners/verify", body, token), retry: true, cancellationToken, maxAttempts: 3);
        using (response)
        {
            switch (response?.StatusCode)
            {
                case null:
                    return new(false, 0, $"cannot reach {ServerUrl}: {error}");
                case HttpStatusCode.OK:
                    var text = await response.Content.ReadAsStringAsync(cancellationToken);
                    var id = ProtocolJson.ReadRegistration(text)?.Id ?? 0; // old servers answer a plain "200"; that still verifies
                    return new(true, id, null);
                case HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized:
                    return new(false, 0, $"the runner token was rejected by {ServerUrl}");
                case HttpStatusCode.UnprocessableEntity:
                    return new(false, 0, $"{ServerUrl} says the runner is orphaned");
                case var status:
                    return new(false, 0, $"{ServerUrl} answered {(int)status} {response.ReasonPhrase} to POST /api/v4/runners/verify; is this a GitLab-compatible server?");
            }
        }
    }

    /// <summary><c>POST /jobs/request</c>, once: a job (201), nothing yet (204), or a failure status.</summary>
    public async Task<JobRequestOutcome> RequestJobAsync(JobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Info = Info;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        HttpResponseMessage? response;
        string? error;
        try
        {
            (response, error) = await SendAsync(() => Json(HttpMethod.Post, "jobs/request", ProtocolJson.Write(request), request.Token), retry: false, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(0, null, null, false, $"no answer within {RequestTimeout.TotalSeconds:0} s");
        }

        using (response)
        {
            if (response is null)
            {
                return new(0, null, null, false, error);
            }

            var polling = response.Headers.TryGetValues("Gitlab-Ci-Builds-Polling", out var p) && p.Contains("yes", StringComparer.OrdinalIgnoreCase);
            switch (response.StatusCode)
            {
                case HttpStatusCode.Created when response.Content.Headers.ContentType?.MediaType == "application/json":
                    var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token);
                    try
                    {
                        return new(201, ProtocolJson.ReadJob(bytes), null, polling, null);
                    }
                    catch (JsonException e)
                    {
                        return new(-1, null, null, polling, "the job payload is not valid JSON: " + e.Message);
                    }

                case HttpStatusCode.Created:
                    return new(-1, null, null, polling, "the job payload is not application/json");
                case HttpStatusCode.NoContent:
                    var last = response.Headers.TryGetValues("X-GitLab-Last-Update", out var v) ? v.FirstOrDefault() : null;
                    return new(204, null, last, polling, null);
                default:
                    return new((int)response.StatusCode, null, null, polling, $"{(int)response.StatusCode} {response.ReasonPhrase}");
            }
        }
    }

    /// <summary><c>PUT /jobs/:id</c> with the job token, retrying transient failures.</summary>
    public async Task<JobUpdateOutcome> UpdateJobAsync(long jobId, UpdateJobRequest update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        update.Info ??= Info;
        var body = ProtocolJson.Write(update);
        var (response, _) = await SendAsync(() => Json(HttpMethod.Put, $"jobs/{Id(jobId)}", body, null, update.Token), retry: true, cancellationToken);
        using (response)
        {
            return Outcome(response);
        }
    }

    /// <summary>
    /// <c>PATCH /jobs/:id/trace</c>: appends <paramref name="data"/> (at most <see cref="MaxPatchBytes"/>) at
    /// <paramref name="offset"/>, retrying transient failures. A 416 carries the server's length in
    /// <see cref="JobUpdateOutcome.RangeEnd"/>.
    /// </summary>
    public async Task<JobUpdateOutcome> PatchTraceAsync(long jobId, string jobToken, long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(data.Length, MaxPatchBytes);
        var (response, _) = await SendAsync(
            () =>
            {
                var message = new HttpRequestMessage(HttpMethod.Patch, $"jobs/{Id(jobId)}/trace") { Content = new ReadOnlyMemoryContent(data) };
                message.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
                message.Content.Headers.TryAddWithoutValidation("Content-Range", $"{Id(offset)}-{Id(offset + Math.Max(0, data.Length - 1))}");
                message.Headers.Add("JOB-TOKEN", jobToken);
                return message;
            },
            retry: true, cancellationToken);
        using (response)
        {
            return Outcome(response);
        }
    }

    /// <summary>
    /// Sends a request built by <paramref name="build"/> (once per attempt), retrying transient failures when
    /// <paramref name="retry"/> is set. Returns the last response (the caller disposes it), or null and the error
    /// when the server could not be reached.
    /// </summary>
    internal async Task<(HttpResponseMessage? Response, string? Error)> SendAsync(
        Func<HttpRequestMessage> build, bool retry, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, int? maxAttempts = null)
    {
        var attempts = Math.Min(maxAttempts ?? int.MaxValue, _backoff.MaxAttempts);
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage? response = null;
            string? error;
            try
            {
                using var request = build();
                request.Headers.Add("X-Request-Id", Guid.NewGuid().ToString("N"));
                response = await _http.SendAsync(request, completion, cancellationToken);
                if (!retry || !IsTransient(response.StatusCode) || attempt + 1 >= attempts)
                {
                    return (response, null);
                }

                error = $"{(int)response.StatusCode} {response.ReasonPhrase}";
                response.Dispose();
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                response?.Dispose();
                error = e.InnerException?.Message ?? e.Message;
                if (!retry || attempt + 1 >= attempts)
                {
                    return (null, error);
                }
            }

            await _backoff.WaitAsync(attempt, cancellationToken);
        }
    }

    /// <summary>Whether a status is worth retrying: 5xx (but 501), 408 and 429.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || ((int)status >= 500 && status != HttpStatusCode.NotImplemented);

    /// <summary>The API base for a configured server URL: trailing <c>/</c> and <c>/ci</c> dropped, <c>/api/v4/</c> added.</summary>
    public static Uri ApiBase(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = url.GetLeftPart(UriPartial.Path).TrimEnd('/');
        if (text.EndsWith("/ci", StringComparison.Ordinal))
        {
            text = text[..^3];
        }

        return new Uri(text + "/api/v4/");
    }

    /// <summary>Reads <c>Job-Status</c>, <c>Range</c> and the update interval from a job-level response.</summary>
    internal static JobUpdateOutcome Outcome(HttpResponseMessage? response)
    {
        if (response is null)
        {
            return new(0, JobControl.Continue, null, null);
        }

        var status = response.Headers.TryGetValues("Job-Status", out var s) ? s.FirstOrDefault() : null;
        var control = status switch
        {
            "canceling" => JobControl.Cancel,
            "canceled" or "failed" or "success" => JobControl.Abort,
            _ => response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Gone ? JobControl.Abort : JobControl.Continue,
        };
        long? rangeEnd = null;
        if (response.Headers.TryGetValues("Range", out var r) && r.FirstOrDefault() is { } range
            && range.LastIndexOf('-') is var dash and >= 0
            && long.TryParse(range.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var end))
        {
            rangeEnd = end;
        }

        TimeSpan? interval = response.Headers.TryGetValues("X-GitLab-Trace-Update-Interval", out var i)
            && int.TryParse(i.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds) : null;
        return new((int)response.StatusCode, control, rangeEnd, interval);
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, string body, string? runnerToken, string? jobToken = null)
    {
        var message = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (runnerToken is not null)
        {
            message.Headers.Add("RUNNER-TOKEN", runnerToken);
        }

        if (jobToken is not null)
        {
            message.Headers.Add("JOB-TOKEN", jobToken);
        }

        return message;
    }

    private static string Id(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
