using System.Text.RegularExpressions;
using Relais.GitOps.Config;
using Relais.GitOps.Updates.Templates;

namespace Relais.GitOps.Updates;

/// <summary>One value changed, with the file and object it is in (what Flux's template data is made of).</summary>
public sealed record ObjectChange(string File, ManifestObject Object, SetterChange Change);

/// <summary>
/// The message of an update commit: the automation's <c>messageTemplate</c> (Flux's default when none) run over Flux's
/// template data — <c>.AutomationObject</c> (<c>namespace/name</c>, with <c>.Name</c> and <c>.Namespace</c>),
/// <c>.Changed.FileChanges</c> (file → object → changes), <c>.Changed.Objects</c> (object → changes),
/// <c>.Changed.Changes</c> (every change: <c>.OldValue</c>, <c>.NewValue</c>, <c>.Setter</c>) and <c>.Values</c> (empty)
/// — then <c>[ci skip]</c> appended unless the message already says <c>[ci skip]</c> or <c>[skip ci]</c> or the
/// automation turned it off.
/// </summary>
public static partial class CommitMessage
{
    /// <summary>Flux's message when an automation has no template.</summary>
    public const string DefaultTemplate = "Update from image update automation";

    /// <summary>The annotation on an <c>ImageUpdateAutomation</c> that, set to <c>"false"</c>, leaves <c>[ci skip]</c> out.</summary>
    public const string CiSkipAnnotation = "gitops.relais.dev/ci-skip";

    /// <exception cref="TemplateException">The template cannot be read or run.</exception>
    public static string Render(ImageUpdateAutomation automation, IReadOnlyList<ObjectChange> changes)
    {
        ArgumentNullException.ThrowIfNull(automation);
        ArgumentNullException.ThrowIfNull(changes);
        var template = GoTemplate.Parse(automation.MessageTemplate ?? DefaultTemplate);
        var message = template.Execute(Data(automation, changes));
        return automation.CiSkip ? WithCiSkip(message) : message;
    }

    /// <summary><paramref name="message"/> with <c>[ci skip]</c> on a paragraph of its own at the end, unless it already asks to skip CI.</summary>
    public static string WithCiSkip(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SkipMarker().IsMatch(message) ? message : message.TrimEnd() + "\n\n[ci skip]\n";
    }

    /// <summary>Flux's template data for these changes.</summary>
    public static TemplateStruct Data(ImageUpdateAutomation automation, IReadOnlyList<ObjectChange> changes)
    {
        ArgumentNullException.ThrowIfNull(automation);
        ArgumentNullException.ThrowIfNull(changes);
        var automationObject = new TemplateStruct("types.NamespacedName",
            [new("Name", automation.Name), new("Namespace", automation.Namespace)], automation.Namespace + "/" + automation.Name);
        var fileChanges = Map(changes.GroupBy(c => c.File).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<object, object?>(g.Key, ObjectsOf(g))));
        var changed = new TemplateStruct("update.Result",
        [
            new("FileChanges", fileChanges),
            new("Changes", changes.Select(ChangeOf).ToList<object?>()),
            new("Objects", ObjectsOf(changes)),
        ]);
        return new TemplateStruct("TemplateData",
        [
            new("AutomationObject", automationObject),
            new("Changed", changed),
            new("Updated", (Func<object?>)(() => throw new TemplateException("the Updated template data was removed (as in Flux): use Changed"))),
            new("Values", new TemplateMap([])),
        ]);
    }

    private static TemplateMap ObjectsOf(IEnumerable<ObjectChange> changes) =>
        Map(changes.GroupBy(c => c.Object)
            .OrderBy(g => g.Key.Name, StringComparer.Ordinal).ThenBy(g => g.Key.Namespace, StringComparer.Ordinal)
            .ThenBy(g => g.Key.ApiVersion, StringComparer.Ordinal).ThenBy(g => g.Key.Kind, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<object, object?>(ObjectOf(g.Key), g.Select(ChangeOf).ToList<object?>())));

    private static TemplateMap Map(IEnumerable<KeyValuePair<object, object?>> entries) => new(entries.ToList());

    private static TemplateStruct ObjectOf(ManifestObject o) => new("update.ObjectIdentifier",
        [new("Name", o.Name), new("Namespace", o.Namespace), new("APIVersion", o.ApiVersion), new("Kind", o.Kind)]);

    private static object ChangeOf(ObjectChange c) => new TemplateStruct("update.Change",
        [new("OldValue", c.Change.OldValue), new("NewValue", c.Change.NewValue), new("Setter", c.Change.Policy)]);

    /// <summary>GitLab's test for a commit that skips CI: <c>[ci skip]</c> or <c>[skip ci]</c>, any case, with a space, <c>-</c> or <c>_</c>.</summary>
    [GeneratedRegex(@"\[(ci[ _-]skip|skip[ _-]ci)\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SkipMarker();
}
