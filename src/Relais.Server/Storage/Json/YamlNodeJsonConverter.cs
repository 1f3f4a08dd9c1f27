using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Relais.Pipelines.Yaml;

namespace Relais.Server.Storage.Json;

/// <summary>
/// Stores YAML values kept in a plan (job extras, executor options, ports) losslessly: the scalar type
/// survives, source positions do not (a stored plan is never reported against its YAML again).
/// Shapes: <c>{"m":[[key,node]…]}</c>, <c>{"l":[node…]}</c>, <c>{"s":value,"t":type}</c>, <c>{"r":[path…]}</c>.
/// </summary>
internal sealed class YamlNodeJsonConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeof(YamlNode).IsAssignableFrom(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Typed<>).MakeGenericType(typeToConvert))!;

    private sealed class Typed<T> : JsonConverter<T>
        where T : YamlNode
    {
        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            (T?)ReadNode(ref reader);

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => WriteNode(writer, value);
    }

    private static void WriteNode(Utf8JsonWriter writer, YamlNode node)
    {
        writer.WriteStartObject();
        switch (node)
        {
            case YamlMapping map:
                writer.WriteStartArray("m");
                foreach (var entry in map.Entries)
                {
                    writer.WriteStartArray();
                    writer.WriteStringValue(entry.Key);
                    WriteNode(writer, entry.Value);
                    writer.WriteEndArray();
                }

                writer.WriteEndArray();
                break;
            case YamlSequence seq:
                writer.WriteStartArray("l");
                foreach (var item in seq.Items)
                {
                    WriteNode(writer, item);
                }

                writer.WriteEndArray();
                break;
            case YamlScalar scalar:
                writer.WriteString("s", scalar.Value);
                writer.WriteNumber("t", (int)scalar.Type);
                break;
            case YamlReference reference:
                writer.WriteStartArray("r");
                foreach (var part in reference.Path)
                {
                    writer.WriteStringValue(part);
                }

                writer.WriteEndArray();
                break;
        }

        writer.WriteEndObject();
    }

    private static YamlNode? ReadNode(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        using var doc = JsonDocument.ParseValue(ref reader);
        return FromElement(doc.RootElement);
    }

    private static YamlNode FromElement(JsonElement e)
    {
        var at = SourceLocation.None;
        if (e.TryGetProperty("m", out var entries))
        {
            return new YamlMapping(at, [.. entries.EnumerateArray().Select(p => new YamlEntry(p[0].GetString()!, at, FromElement(p[1])))]);
        }

        if (e.TryGetProperty("l", out var items))
        {
            return new YamlSequence(at, [.. items.EnumerateArray().Select(FromElement)]);
        }

        if (e.TryGetProperty("r", out var path))
        {
            return new YamlReference(at, [.. path.EnumerateArray().Select(p => p.GetString()!)]);
        }

        return new YamlScalar(at, e.GetProperty("s").GetString()!, (ScalarType)e.GetProperty("t").GetInt32());
    }
}

/// <summary>Writes a default (uninitialised) <see cref="ImmutableArray{T}"/> as null and reads null back as default.</summary>
internal sealed class ImmutableArrayJsonConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(ImmutableArray<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Typed<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class Typed<T> : JsonConverter<ImmutableArray<T>>
    {
        public override bool HandleNull => true;

        public override ImmutableArray<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? default : [.. JsonSerializer.Deserialize<List<T>>(ref reader, options)!];

        public override void Write(Utf8JsonWriter writer, ImmutableArray<T> value, JsonSerializerOptions options)
        {
            if (value.IsDefault)
            {
                writer.WriteNullValue();
                return;
            }

            writer.WriteStartArray();
            foreach (var item in value)
            {
                JsonSerializer.Serialize(writer, item, options);
            }

            writer.WriteEndArray();
        }
    }
}
