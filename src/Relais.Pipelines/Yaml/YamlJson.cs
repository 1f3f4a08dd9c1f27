using System.Globalization;
using System.Text.Json;

namespace Relais.Pipelines.Yaml;

/// <summary>Writes a YAML value as JSON: hashes as objects, lists as arrays, typed scalars as JSON scalars.</summary>
public static class YamlJson
{
    public static void Write(Utf8JsonWriter writer, YamlNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case YamlMapping map:
                writer.WriteStartObject();
                foreach (var e in map.Entries)
                {
                    writer.WritePropertyName(e.Key);
                    Write(writer, e.Value);
                }

                writer.WriteEndObject();
                break;
            case YamlSequence seq:
                writer.WriteStartArray();
                foreach (var item in seq.Items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case YamlScalar s:
                WriteScalar(writer, s);
                break;
            case YamlReference r:
                writer.WriteStringValue(r.ToString());
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalar s)
    {
        switch (s.Type)
        {
            case ScalarType.Null:
                writer.WriteNullValue();
                break;
            case ScalarType.Bool:
                writer.WriteBooleanValue(s.AsBool() == true);
                break;
            case ScalarType.Int when s.AsInt() is { } i:
                writer.WriteNumberValue(i);
                break;
            case ScalarType.Float when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            default:
                writer.WriteStringValue(s.Value);
                break;
        }
    }
}
