using System.Text;
using Relais.Server.Storage;

namespace Relais.Server.Git;

/// <summary>What the push rules say about one ref update before git has the pack: yes, no, or yes only as a fast-forward.</summary>
internal enum PushVerdictKind
{
    Allow,
    Deny,
    FastForwardOnly,
}

/// <summary>The verdict on one ref update; <see cref="Message"/> is GitLab's words for the refusal.</summary>
internal readonly record struct PushVerdict(RefUpdate Update, PushVerdictKind Kind, string? Message = null);

/// <summary>
/// Applies <see cref="PushRules"/> to the commands of a push before git runs: whether a change is a force push is only
/// known once the pack is in, so an update that the rules allow as a fast-forward but refuse when forced gets
/// <see cref="PushVerdictKind.FastForwardOnly"/>, for the <see cref="PushHook"/> to test. The verdicts travel to the
/// hook in its environment (<see cref="Environment"/>).
/// </summary>
internal static class PushGate
{
    public const string HiddenRef = "You are not allowed to push to refs/pipelines.";

    public static IReadOnlyList<PushVerdict> Decide(ProtectedRefSet refs, Pusher pusher, IReadOnlyList<RefUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        return [.. updates.Select(u => Decide(refs, pusher, u))];
    }

    /// <summary>The hook's environment for these verdicts.</summary>
    public static IReadOnlyDictionary<string, string> Environment(IReadOnlyList<PushVerdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var lines = new StringBuilder();
        foreach (var v in verdicts)
        {
            if (v.Kind == PushVerdictKind.Deny)
            {
                lines.Append("deny ").Append(v.Message).Append('\n');
            }
            else if (v.Kind == PushVerdictKind.FastForwardOnly)
            {
                lines.Append("ff ").Append(v.Update.OldSha).Append(' ').Append(v.Update.NewSha).Append(' ').Append(v.Message).Append('\n');
            }
        }

        return new Dictionary<string, string>
        {
            [PushHook.CountVariable] = verdicts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [PushHook.VerdictsVariable] = lines.ToString(),
        };
    }

    private static PushVerdict Decide(ProtectedRefSet refs, Pusher pusher, RefUpdate update)
    {
        if (!update.IsBranch && !update.IsTag)
        {
            // refs/pipelines/ID is what runners check out for a pipeline (one of a protected branch gets protected
            // variables): only the coordinator writes it, as GitLab hides it from pushes.
            return update.Ref.StartsWith("refs/pipelines/", StringComparison.Ordinal)
                ? new(update, PushVerdictKind.Deny, HiddenRef)
                : new(update, PushVerdictKind.Allow);
        }

        if (!IsObjectId(update.OldSha) || !IsObjectId(update.NewSha))
        {
            // git refuses such a command itself; the hook never has to test it.
            return new(update, PushVerdictKind.Deny, "Invalid object id.");
        }

        var plain = RefChange.Of(update);
        if (PushRules.Check(refs, pusher, plain, viaWeb: false) is { } refused)
        {
            return new(update, PushVerdictKind.Deny, refused);
        }

        if (plain.Kind != RefChangeKind.Update || plain.IsTag)
        {
            return new(update, PushVerdictKind.Allow);
        }

        return PushRules.Check(refs, pusher, plain with { IsForced = true }, viaWeb: false) is { } forced
            ? new(update, PushVerdictKind.FastForwardOnly, forced)
            : new(update, PushVerdictKind.Allow);
    }

    private static bool IsObjectId(string sha) => sha.Length == 40 && sha.All(char.IsAsciiHexDigitLower);
}
