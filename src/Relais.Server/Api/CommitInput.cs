using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Relais.Git;

namespace Relais.Server.Api;

/// <summary>
/// A commit asked for through the API (<c>POST /repository/commits</c>, or one file's <c>POST/PUT/DELETE
/// /repository/files/:file_path</c>): the branch, where it starts, the actions and who wrote it.
/// </summary>
internal sealed record CommitInput(string Branch, string Message, IReadOnlyList<FileAction> Actions)
{
    public string? StartBranch { get; init; }

    public string? StartSha { get; init; }

    public string? AuthorName { get; init; }

    public string? AuthorEmail { get; init; }

    public bool Force { get; init; }
}

/// <summary>
/// Reads GitLab's commit parameters: the top-level fields (query and body, as <see cref="ApiParams"/>) and
/// <c>actions</c>, a JSON array of objects (<c>action</c>, <c>file_path</c>, <c>previous_path</c>, <c>content</c>,
/// <c>encoding</c> <c>text</c> or <c>base64</c>, <c>last_commit_id</c>, <c>execute_filemode</c>). A problem is GitLab's 400 message.
/// </summary>
internal static class CommitInputReader
{
    /// <summary>The top-level fields and the actions of a JSON body (empty when the body is no JSON object).</summary>
    public static async Task<(Dictionary<string, string> Fields, JsonElement Actions)> ReadBodyAsync(HttpRequest request)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            fields[key] = value.ToString();
        }

        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await ApiParams.ReadAsync(request))
            {
                fields[key] = value;
            }

            return (fields, default);
        }

        JsonElement actions = default;
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    if (p.Name == "actions")
                    {
                        actions = p.Value.Clone();
                    }
                    else
                    {
                        fields[p.Name] = Text(p.Value);
                    }
                }
            }
        }
        catch (JsonException)
        {
            // No JSON body: the fields from the query only.
        }

        return (fields, actions);
    }

    /// <summary>One action from its JSON object; the problem (GitLab's 400 message) when it is not one.</summary>
    public static (FileAction? Action, string? Problem) Action(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return (null, "actions is invalid");
        }

        var f = item.EnumerateObject().ToDictionary(p => p.Name, p => Text(p.Value), StringComparer.Ordinal);
        if (f.GetValueOrDefault("action") is not { Length: > 0 } name)
        {
            return (null, "actions[action] is missing");
        }

        if (!Enum.TryParse<FileActionKind>(name, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || name.Any(char.IsUpper) || char.IsDigit(name[0]))
        {
            return (null, "actions[action] does not have a valid value");
        }

        return File(kind, f);
    }

    /// <summary>An action on one file from GitLab's fields (<c>file_path</c>, <c>content</c>, <c>encoding</c>, …).</summary>
    public static (FileAction? Action, string? Problem) File(FileActionKind kind, IReadOnlyDictionary<string, string> f)
    {
        if (RepositoryPaths.Normalize(f.GetValueOrDefault("file_path")) is not { Length: > 0 } path)
        {
            return (null, "file_path is missing or invalid");
        }

        var previous = kind == FileActionKind.Move ? RepositoryPaths.Normalize(f.GetValueOrDefault("previous_path")) : null;
        if (kind == FileActionKind.Move && previous is not { Length: > 0 })
        {
            return (null, "previous_path is missing or invalid");
        }

        byte[]? content = null;
        if (f.TryGetValue("content", out var text) && kind is not (FileActionKind.Delete or FileActionKind.Chmod))
        {
            var encoding = f.GetValueOrDefault("encoding") ?? "text";
            if (encoding is not ("text" or "base64"))
            {
                return (null, "encoding does not have a valid value");
            }

            try
            {
                content = encoding == "base64" ? Convert.FromBase64String(text) : Encoding.UTF8.GetBytes(text);
            }
            catch (FormatException)
            {
                return (null, "content is not valid base64");
            }
        }

        return (new FileAction(kind, path)
        {
            PreviousPath = previous,
            Content = content,
            ExecuteFilemode = ApiParams.Bool(f, "execute_filemode"),
            LastCommitId = f.GetValueOrDefault("last_commit_id") is { Length: > 0 } last ? last : null,
        }, null);
    }

    /// <summary>The fields every commit takes: <c>branch</c>, <c>commit_message</c>, <c>start_branch</c>, <c>start_sha</c>, the author and <c>force</c>.</summary>
    public static (CommitInput? Input, string? Problem) Commit(IReadOnlyDictionary<string, string> f, IReadOnlyList<FileAction> actions)
    {
        if (f.GetValueOrDefault("branch") is not { Length: > 0 } branch)
        {
            return (null, "branch is missing");
        }

        if (f.GetValueOrDefault("commit_message") is not { Length: > 0 } message)
        {
            return (null, "commit_message is missing");
        }

        return (new CommitInput(branch, message, actions)
        {
            StartBranch = Value(f, "start_branch"),
            StartSha = Value(f, "start_sha"),
            AuthorName = Value(f, "author_name"),
            AuthorEmail = Value(f, "author_email"),
            Force = ApiParams.Bool(f, "force") == true,
        }, null);
    }

    private static string? Value(IReadOnlyDictionary<string, string> f, string key) => f.GetValueOrDefault(key) is { Length: > 0 } v ? v : null;

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };
}
