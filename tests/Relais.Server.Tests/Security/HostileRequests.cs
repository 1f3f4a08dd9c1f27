using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Relais.Server.Tests.Security;

/// <summary>The valid material the fuzzer mutates: ids and tokens of a small, real data set.</summary>
internal sealed record FuzzTargets(
    long Project,
    long PublicProject,
    long Pipeline,
    long FinishedJob,
    long RunningJob,
    string RunningJobToken,
    string FinishedJobToken,
    string ForeignJobToken,
    string RunnerToken,
    string RootToken,
    string AliceToken,
    long TraceLength);

/// <summary>
/// Seeded random hostile requests against every endpoint family: the runner API, the REST API, artifacts and git.
/// Each request is built so that it must not change stored data: a valid credential is only ever combined with a
/// body or header that cannot be accepted (cut-off JSON, random bytes, a wrong Content-Range, a bad artifact type or
/// name, a body past its limit, a garbage pack), and every other request carries a missing, malformed, unknown,
/// expired or foreign credential, with any body at all (including well-formed ones).
/// </summary>
internal sealed class HostileRequests(Random random, FuzzTargets t)
{
    private static readonly string[] JsonTemplates =
    [
        """{"token":"TOKEN","info":{"name":"r","version":"17.0.0","features":{"trace_checksum":true}},"last_update":"1"}""",
        """{"token":"TOKEN","state":"success","exit_code":0,"failure_reason":"script_failure","checksum":"crc32:1"}""",
        """{"name":"fuzzed","path":"fuzzed","visibility":"public","default_branch":"main"}""",
        """{"key":"NEW_KEY","value":"new-value-123","protected":true,"masked":false,"variable_type":"env_var"}""",
        """{"visibility":"public"}""",
        """{"runner_type":"instance_type","tag_list":["a","b"],"run_untagged":true,"description":"x"}""",
        """{"ref":"main","variables":[{"key":"A","value":"b"}]}""",
        """{"username":"mallory","admin":true,"name":"M"}""",
    ];

    private static readonly string[] BadContentRanges = ["", "abc", "-1", "-", "0", "5-", "bytes 0-1/*", "1e3-2", "99999999999999999999999-1", "0x10-20", " 1-2"];
    private static readonly string[] BadArtifactTypes = ["..", ".", "../../../etc", "archive/../../x", "ARCHIVE", "a b", "archive\0", "%2e%2e", new string('a', 100)];
    private static readonly string[] HostilePaths =
    [
        "api/v4/projects/..%2F..%2Fetc%2Fpasswd", "api/v4/projects/%00", "api/v4/projects/99999999999999999999", "api/v4/projects/-1",
        "api/v4/projects/root%2F..%2F..%2Fsecret", "api/v4/jobs/-1/trace", "api/v4/jobs/99999999999999999999/artifacts",
        "api/v4/projects/1/jobs/1/../../../../etc/passwd", "root/../../etc/passwd.git/info/refs?service=git-upload-pack",
        "..%2F..%2Fetc/x.git/info/refs?service=git-upload-pack", "root/demo.git/HEAD", "root/demo.git/objects/info/packs",
        "root/demo.git/info/refs", "root/demo.git/info/refs?service=git-upload-pack%00", "root/.git.git/info/refs?service=git-upload-pack",
        "api/v4/projects?per_page=-5&page=999999999999", "api/v4/projects?scope[]=../../x", "api/v4/projects/1/jobs?scope[]=%00",
        "api/v4/" + new string('a', 4000), "api/v4/projects/1/variables/" + Uri.EscapeDataString("../../../etc"),
    ];

    public int Counter { get; private set; }

    /// <summary>One hostile request and a short name of its kind (for the report).</summary>
    public (HttpRequestMessage Request, string Kind) Next()
    {
        Counter++;
        return random.Next(10) switch
        {
            0 => RunnerApi(),
            1 => JobUpdate(),
            2 => TracePatch(),
            3 => ArtifactUpload(),
            4 => ArtifactDownload(),
            5 or 6 => Rest(),
            7 => Git(),
            8 => HostilePath(),
            _ => Oversized(),
        };
    }

    private (HttpRequestMessage, string) RunnerApi()
    {
        var (method, path) = Pick(new[] { (HttpMethod.Post, "api/v4/jobs/request"), (HttpMethod.Post, "api/v4/runners/verify"), (HttpMethod.Delete, "api/v4/runners"), (HttpMethod.Post, "api/v4/user/runners") });
        var request = new HttpRequestMessage(method, path);
        if (random.Next(3) == 0)
        {
            // The real runner token, but only inside a body that cannot be parsed.
            request.Content = Json(Truncate(Template(0, t.RunnerToken)));
            return (request, "runner-api/valid-token-broken-body");
        }

        request.Content = Json(MaybeMutate(Template(random.Next(JsonTemplates.Length), BadToken())));
        AddHeader(request, Pick(new[] { "RUNNER-TOKEN", "PRIVATE-TOKEN", "X-Nothing" }), BadToken());
        return (request, "runner-api/bad-token");
    }

    private (HttpRequestMessage, string) JobUpdate()
    {
        var job = PickJob();
        var request = new HttpRequestMessage(HttpMethod.Put, $"api/v4/jobs/{job}");
        if (random.Next(3) == 0)
        {
            request.Content = random.Next(2) == 0 ? Json(Truncate(Template(1, t.RunningJobToken))) : Raw(RandomBytes(random.Next(1, 300)), "application/json");
            return (request, "job-update/valid-token-broken-body");
        }

        request.Content = Json(MaybeMutate(Template(1, ForeignOrBadJobToken(job))));
        return (request, "job-update/bad-token");
    }

    private (HttpRequestMessage, string) TracePatch()
    {
        var job = PickJob();
        var request = new HttpRequestMessage(new HttpMethod("PATCH"), $"api/v4/jobs/{job}/trace") { Content = Raw(Encoding.UTF8.GetBytes("INJECTED " + random.Next()), "text/plain") };
        if (random.Next(2) == 0)
        {
            AddHeader(request, "JOB-TOKEN", t.RunningJobToken);
            var start = random.Next(3) == 0 ? t.TraceLength + 1 + random.Next(1000) : -1;
            request.Content.Headers.TryAddWithoutValidation("Content-Range", start >= 0 ? $"{start}-{start + 10}" : Pick(BadContentRanges));
            return (request, "trace/valid-token-wrong-range");
        }

        AddHeader(request, "JOB-TOKEN", ForeignOrBadJobToken(job));
        request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{t.TraceLength}-{t.TraceLength + 10}");
        return (request, "trace/bad-token");
    }

    private (HttpRequestMessage, string) ArtifactUpload()
    {
        var valid = random.Next(2) == 0;
        var job = valid ? t.RunningJob : PickJob();
        var type = "archive";
        var format = "zip";
        var name = "artifacts.zip";
        HttpContent content;
        var flaw = valid ? random.Next(5) : -1;
        switch (flaw)
        {
            case 0: type = Pick(BadArtifactTypes); break;
            case 1: format = Pick(new[] { "../zip", "tar", "ZIP", "zip;rm" }); break;
            case 2: name = Pick(new[] { "..", ".", "a/..", "dir/", new string('n', 300) }); break;
            default: break;
        }

        if (flaw == 3)
        {
            content = Raw(Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.zip\"\r\n\r\nPK\u0003\u0004 never ends"), "multipart/form-data; boundary=b");
        }
        else if (flaw == 4)
        {
            content = new MultipartFormDataContent { { new ByteArrayContent(new byte[300 * 1024]), "file", "big.zip" } };
        }
        else
        {
            content = new MultipartFormDataContent { { new ByteArrayContent(RandomBytes(random.Next(0, 2000))), "file", name } };
        }

        var request = new HttpRequestMessage(HttpMethod.Post, $"api/v4/jobs/{job}/artifacts?artifact_type={Uri.EscapeDataString(type)}&artifact_format={Uri.EscapeDataString(format)}&expire_in={Uri.EscapeDataString(Pick(new[] { "1 week", "-1 day", "99999999999 years", "never", "x" }))}") { Content = content };
        AddHeader(request, "JOB-TOKEN", valid ? t.RunningJobToken : ForeignOrBadJobToken(job));
        return (request, valid ? "artifact-upload/valid-token-flawed" : "artifact-upload/bad-token");
    }

    private (HttpRequestMessage, string) ArtifactDownload()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"api/v4/jobs/{PickJob()}/artifacts" + Pick(new[] { "", "?job_token=" + Uri.EscapeDataString(BadToken()), "?token=" }));
        AddHeader(request, "JOB-TOKEN", Pick(new[] { t.FinishedJobToken, t.RunnerToken, t.RootToken, BadToken(), t.ForeignJobToken }));
        return (request, "artifact-download/bad-token");
    }

    private (HttpRequestMessage, string) Rest()
    {
        var project = Pick(new[] { t.Project.ToString(CultureInfo.InvariantCulture), "root%2Fdemo", t.PublicProject.ToString(CultureInfo.InvariantCulture) });
        var routes = new (HttpMethod, string)[]
        {
            (HttpMethod.Post, "projects"), (HttpMethod.Put, $"projects/{project}"), (HttpMethod.Post, $"projects/{project}/variables"),
            (HttpMethod.Put, $"projects/{project}/variables/SECRET"), (HttpMethod.Delete, $"projects/{project}/variables/SECRET"),
            (HttpMethod.Post, $"projects/{project}/pipeline"), (HttpMethod.Post, $"projects/{project}/pipelines/{t.Pipeline}/cancel"),
            (HttpMethod.Post, $"projects/{project}/pipelines/{t.Pipeline}/retry"), (HttpMethod.Post, $"projects/{project}/jobs/{t.RunningJob}/cancel"),
            (HttpMethod.Post, $"projects/{project}/jobs/{t.FinishedJob}/retry"), (HttpMethod.Post, "users"),
            (HttpMethod.Post, "users/1/personal_access_tokens"), (HttpMethod.Get, "audit_events"), (HttpMethod.Get, $"projects/{project}/variables"),
            (HttpMethod.Get, $"projects/{project}/jobs/{t.FinishedJob}/trace"), (HttpMethod.Get, $"projects/{project}/jobs/{t.FinishedJob}/artifacts"),
            (HttpMethod.Delete, "personal_access_tokens/1"), (HttpMethod.Get, "users/1"),
        };
        var (method, path) = Pick(routes);
        var request = new HttpRequestMessage(method, "api/v4/" + path);
        var writes = method != HttpMethod.Get;
        if (writes && random.Next(3) == 0 && method != HttpMethod.Delete && !path.EndsWith("cancel", StringComparison.Ordinal) && !path.EndsWith("retry", StringComparison.Ordinal))
        {
            // An administrator's token with a body that cannot be read and no query: nothing to act on.
            request.Content = random.Next(2) == 0 ? Json(Truncate(Template(random.Next(JsonTemplates.Length), "x"))) : Raw(RandomBytes(random.Next(1, 200)), Pick(new[] { "application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz" }));
            AddHeader(request, "PRIVATE-TOKEN", t.RootToken);
            return (request, "rest/admin-token-broken-body");
        }

        request.Content = writes ? Json(MaybeMutate(Template(random.Next(JsonTemplates.Length), "x"))) : null;
        // Alice may read public projects; everything else here is another's, or needs more than she has.
        var token = path.StartsWith("projects/" + t.PublicProject, StringComparison.Ordinal) && !writes ? BadToken() : Pick(new[] { t.AliceToken, BadToken(), t.RunnerToken, t.RunningJobToken });
        if (path == "projects" && token == t.AliceToken)
        {
            token = BadToken();
        }

        switch (random.Next(4))
        {
            case 0: AddHeader(request, "PRIVATE-TOKEN", token); break;
            case 1: request.Headers.TryAddWithoutValidation("Authorization", Pick(new[] { "Bearer ", "Basic ", "Bearer\t", "bearer " }) + token); break;
            case 2: request.RequestUri = new Uri(request.RequestUri!.OriginalString + "?private_token=" + Uri.EscapeDataString(token), UriKind.Relative); break;
            default: break; // anonymous
        }

        return (request, "rest/bad-or-foreign-token");
    }

    private (HttpRequestMessage, string) Git()
    {
        var service = Pick(new[] { "git-upload-pack", "git-receive-pack" });
        var repo = Pick(new[] { "root/demo", "root/open", "root/nothere", "alice/demo" });
        HttpRequestMessage request;
        string kind;
        if (random.Next(2) == 0)
        {
            request = new HttpRequestMessage(HttpMethod.Get, $"{repo}.git/info/refs?service={Pick(new[] { service, "git-upload-archive", "", "x" })}");
            kind = "git/info-refs";
        }
        else
        {
            request = new HttpRequestMessage(HttpMethod.Post, $"{repo}.git/{service}") { Content = Raw(GarbagePack(), $"application/x-{service}-request") };
            if (random.Next(4) == 0)
            {
                request.Content.Headers.ContentEncoding.Add("gzip");
            }

            kind = "git/rpc-garbage";
        }

        // Root's password only on the repository that exists (an administrator's push would create a new one).
        var (user, password) = repo == "root/demo" && random.Next(3) == 0 ? ("root", t.RootToken)
            : (Pick(new[] { "gitlab-ci-token", "alice", "root", "" }), Pick(new[] { t.FinishedJobToken, t.ForeignJobToken, t.RunnerToken, t.AliceToken, BadToken(), t.RunningJobToken }));
        if (password == t.AliceToken && repo == "alice/demo")
        {
            password = BadToken();
        }

        if (random.Next(5) > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Pick(new[] { Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")), "!!!notbase64", "", Convert.ToBase64String(Encoding.UTF8.GetBytes("nocolon")) }));
        }

        return (request, kind);
    }

    private (HttpRequestMessage, string) HostilePath()
    {
        var request = new HttpRequestMessage(Pick(new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, new HttpMethod("PATCH") }), Pick(HostilePaths));
        AddHeader(request, "PRIVATE-TOKEN", Pick(new[] { BadToken(), t.AliceToken }));
        if (request.Method != HttpMethod.Get)
        {
            request.Content = Raw(RandomBytes(random.Next(0, 100)), "application/json");
        }

        return (request, "hostile-path");
    }

    private (HttpRequestMessage, string) Oversized()
    {
        var (method, path) = Pick(new[]
        {
            (HttpMethod.Post, "api/v4/jobs/request"), (HttpMethod.Put, $"api/v4/jobs/{t.RunningJob}"), (HttpMethod.Post, "api/v4/projects"),
            (new HttpMethod("PATCH"), $"api/v4/jobs/{t.RunningJob}/trace"), (HttpMethod.Post, "root/demo.git/git-upload-pack"),
        });
        var size = 300 * 1024 + random.Next(100_000);
        var request = new HttpRequestMessage(method, path);
        var body = Encoding.UTF8.GetBytes("{\"token\":\"" + t.RunnerToken + "\",\"pad\":\"" + new string('x', size) + "\"}");
        request.Content = random.Next(2) == 0 ? Raw(body, "application/json") : new StreamContent(new MemoryStream(body)); // announced, or chunked
        if (random.Next(2) == 0)
        {
            AddHeader(request, "PRIVATE-TOKEN", t.RootToken);
        }

        request.Content.Headers.TryAddWithoutValidation("Content-Range", "0-1");
        return (request, "oversized");
    }

    private static string Template(int index, string token) => JsonTemplates[index].Replace("TOKEN", token, StringComparison.Ordinal);

    /// <summary>A strict prefix of a JSON object: never valid JSON.</summary>
    private string Truncate(string json) => json[..random.Next(0, json.Length - 1)];

    private string MaybeMutate(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        switch (random.Next(8))
        {
            case 0: return json;
            case 1: return Truncate(json);
            case 2:
                for (var i = random.Next(1, 6); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return Encoding.UTF8.GetString(bytes);
            case 3: return new string('[', 5000) + new string(']', 5000);
            case 4: return json.Replace("\"", "", StringComparison.Ordinal);
            case 5: return json.Insert(random.Next(json.Length), Pick(new[] { "\u0000", "\uFFFF", "\"\"\"", "1e99999", "{\"$ref\":1}", ",,", "\\u0000" }));
            case 6: return "{\"token\": 12, \"info\": \"text\", \"state\": {}, \"key\": [], \"value\": null, \"visibility\": 7, \"name\": true}";
            default: return Encoding.UTF8.GetString(RandomBytes(random.Next(1, 200)));
        }
    }

    private long PickJob()
    {
        var job = Pick(new[] { t.FinishedJob, t.RunningJob, 0L, -1L, 999_999L, long.MaxValue });
        return job;
    }

    /// <summary>A job token that does not open <paramref name="job"/>: unknown, malformed, expired (a finished job's), or another job's.</summary>
    private string ForeignOrBadJobToken(long job) =>
        random.Next(4) switch
        {
            0 => t.FinishedJobToken,
            1 => job == t.RunningJob ? t.ForeignJobToken : BadToken(),
            2 => t.RunnerToken,
            _ => BadToken(),
        };

    private string BadToken() => random.Next(6) switch
    {
        0 => "",
        1 => "glpat-" + RandomText(20),
        2 => "glrt-" + RandomText(32),
        3 => "glcbt-" + RandomText(32),
        4 => RandomText(random.Next(1, 64)),
        _ => "' OR 1=1 --",
    };

    private byte[] GarbagePack()
    {
        var text = random.Next(3) switch
        {
            0 => "0000",
            1 => $"00a8{new string('0', 40)} {new string('1', 40)} refs/heads/main\0 report-status side-band-64k\n0000PACK\0\0\0\u0002garbage",
            _ => "zzzz" + RandomText(50),
        };
        return [.. Encoding.ASCII.GetBytes(text), .. RandomBytes(random.Next(0, 500))];
    }

    private byte[] RandomBytes(int n)
    {
        var bytes = new byte[n];
        random.NextBytes(bytes);
        return bytes;
    }

    private string RandomText(int n)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
        return string.Create(n, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[r.Next(alphabet.Length)];
            }
        });
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static void AddHeader(HttpRequestMessage request, string name, string value) => request.Headers.TryAddWithoutValidation(name, value);

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static ByteArrayContent Raw(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }
}
