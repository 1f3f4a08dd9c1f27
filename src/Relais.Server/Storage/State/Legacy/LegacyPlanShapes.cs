using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Relais.Pipelines.Yaml;

namespace Relais.Server.Storage.State.Legacy;

/// <summary>
/// Rewrites, in place, the parts of an old stored plan that held YAML values into the shapes of today's plan types.
/// The old values are nodes: <c>{"m":[[key,node]…]}</c> (a hash), <c>{"l":[…]}</c> (a list), <c>{"s":text,"t":type}</c>
/// (a scalar; type 0 null, 1 bool, 2 int, 3 float, 4 string), <c>{"r":[path…]}</c> (a <c>!reference</c>). Image and
/// service executor options and ports, <c>environment:kubernetes</c>, the trigger as written and the carried keywords.
/// </summary>
internal static class LegacyPlanShapes
{
    public static void Upgrade(JsonObject plan)
    {
        foreach (var job in plan["Jobs"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            if (job["Image"] is JsonObject image)
            {
                UpgradeImage(image);
            }

            foreach (var service in job["Services"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                UpgradeImage(service);
            }

            if (job["Environment"] is JsonObject env && env["Kubernetes"] is { } kubernetes)
            {
                env["Kubernetes"] = new JsonObject
                {
                    ["Agent"] = Text(Entry(kubernetes, "agent")),
                    ["Namespace"] = Text(Entry(kubernetes, "namespace")),
                    ["FluxResourcePath"] = Text(Entry(kubernetes, "flux_resource_path")),
                    ["ManagedResourcesEnabled"] = Bool(Entry(Entry(kubernetes, "managed_resources"), "enabled")),
                    ["DashboardNamespace"] = Text(Entry(Entry(kubernetes, "dashboard"), "namespace")),
                    ["DashboardFluxResourcePath"] = Text(Entry(Entry(kubernetes, "dashboard"), "flux_resource_path")),
                };
            }

            if (job["Trigger"] is JsonObject trigger)
            {
                trigger["Written"] = Written(trigger["Raw"]);
                trigger.Remove("Raw");
            }

            if (job["Extras"] is JsonObject extras)
            {
                foreach (var key in extras.Select(e => e.Key).ToList())
                {
                    extras[key] = Written(extras[key]);
                }
            }
        }
    }

    private static void UpgradeImage(JsonObject image)
    {
        var options = image["ExecutorOptions"];
        var ports = image["Ports"];
        image.Remove("ExecutorOptions");
        image.Remove("Ports");
        if (Entry(options, "docker") is { } docker && docker is JsonObject { } d && d["m"] is not null)
        {
            image["Docker"] = new JsonObject { ["Platform"] = Text(Entry(docker, "platform")), ["User"] = Text(Entry(docker, "user")) };
        }

        if (Entry(options, "kubernetes") is { } kubernetes && kubernetes is JsonObject { } k && k["m"] is not null)
        {
            var user = Entry(kubernetes, "user");
            image["Kubernetes"] = Int(user) is { } uid ? new JsonObject { ["Uid"] = uid } : new JsonObject { ["User"] = Text(user) };
        }

        if ((ports as JsonObject)?["l"] is JsonArray list)
        {
            image["Ports"] = new JsonArray([.. list.Select(p => (JsonNode)((p as JsonObject)?["m"] is not null
                ? new JsonObject { ["Number"] = (int)(Int(Entry(p, "number")) ?? 0), ["Protocol"] = Text(Entry(p, "protocol")), ["Name"] = Text(Entry(p, "name")) }
                : new JsonObject { ["Number"] = (int)(Int(p) ?? 0) }))]);
        }
    }

    private static JsonNode? Entry(JsonNode? map, string key) =>
        ((map as JsonObject)?["m"] as JsonArray)?.OfType<JsonArray>().FirstOrDefault(e => e[0]?.GetValue<string>() == key)?[1];

    private static (string Text, int Type)? Scalar(JsonNode? node) =>
        node is JsonObject o && o["s"] is { } s && o["t"] is { } t ? (s.GetValue<string>(), t.GetValue<int>()) : null;

    /// <summary>A scalar as GitLab turns it into a string (booleans lower-case); null for null and non-scalars.</summary>
    private static string? Text(JsonNode? node) => Scalar(node) switch
    {
        null or (_, 0) => null,
        (var s, 1) => ScalarResolver.ParseBool(s) == true ? "true" : "false",
        (var s, 2) => ScalarResolver.ParseInt(s)?.ToString(CultureInfo.InvariantCulture) ?? s,
        (var s, _) => s,
    };

    private static long? Int(JsonNode? node) => Scalar(node) is (var s, 2) ? ScalarResolver.ParseInt(s) : null;

    private static bool? Bool(JsonNode? node) => Scalar(node) is (var s, 1) ? ScalarResolver.ParseBool(s) : null;

    /// <summary>A <c>WrittenValue</c>: the node as JSON, compact, as the compiler writes it.</summary>
    private static JsonObject Written(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, node);
        }

        return new JsonObject { ["Json"] = Encoding.UTF8.GetString(buffer.WrittenSpan) };
    }

    private static void Write(Utf8JsonWriter w, JsonNode? node)
    {
        var obj = node as JsonObject;
        if (obj?["m"] is JsonArray entries)
        {
            w.WriteStartObject();
            foreach (var e in entries.OfType<JsonArray>())
            {
                w.WritePropertyName(e[0]!.GetValue<string>());
                Write(w, e[1]);
            }

            w.WriteEndObject();
        }
        else if (obj?["l"] is JsonArray items)
        {
            w.WriteStartArray();
            foreach (var item in items)
            {
                Write(w, item);
            }

            w.WriteEndArray();
        }
        else if (obj?["r"] is JsonArray path)
        {
            w.WriteStringValue("!reference [" + string.Join(", ", path.Select(p => p!.GetValue<string>())) + "]");
        }
        else
        {
            WriteScalar(w, Scalar(node));
        }
    }

    private static void WriteScalar(Utf8JsonWriter w, (string Text, int Type)? scalar)
    {
        switch (scalar)
        {
            case null or (_, 0):
                w.WriteNullValue();
                break;
            case (var s, 1):
                w.WriteBooleanValue(ScalarResolver.ParseBool(s) == true);
                break;
            case (var s, 2) when ScalarResolver.ParseInt(s) is { } i:
                w.WriteNumberValue(i);
                break;
            case (var s, 3) when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d):
                w.WriteNumberValue(d);
                break;
            case var (s, _):
                w.WriteStringValue(s);
                break;
        }
    }
}
