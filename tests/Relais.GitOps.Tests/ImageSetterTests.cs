using Relais.GitOps.Updates;

namespace Relais.GitOps.Tests;

/// <summary>Flux's setter markers updated in the text, formatting and comments kept.</summary>
public sealed class ImageSetterTests
{
    private static PolicyImage? Latest(string policy) => policy switch
    {
        "flux-system:app" => new PolicyImage("registry.example.com/group/app", "1.1.0"),
        "flux-system:empty" => null,
        _ => null,
    };

    [Fact]
    public void Marked_values_get_the_policys_image_tag_or_name_and_nothing_else_moves()
    {
        const string manifest = """
            # the app
            spec:
              containers:
                - name: app
                  image: registry.example.com/group/app:1.0.0 # {"$imagepolicy": "flux-system:app"}
                - image: "registry.example.com/group/app:1.0.0"   #   {"$imagepolicy":"flux-system:app"}
              values:
                tag: '1.0.0' # {"$imagepolicy": "flux-system:app:tag"}
                repository: old/name # {"$imagepolicy": "flux-system:app:name"}
                other: registry.example.com/group/app:1.0.0 # {"$imagepolicy": "flux-system:empty"}
                plain: registry.example.com/group/app:1.0.0 # a comment, not a marker
            """;

        var (text, changes) = ImageSetters.Apply(manifest, Latest);

        Assert.Equal("""
            # the app
            spec:
              containers:
                - name: app
                  image: registry.example.com/group/app:1.1.0 # {"$imagepolicy": "flux-system:app"}
                - image: "registry.example.com/group/app:1.1.0"   #   {"$imagepolicy":"flux-system:app"}
              values:
                tag: '1.1.0' # {"$imagepolicy": "flux-system:app:tag"}
                repository: registry.example.com/group/app # {"$imagepolicy": "flux-system:app:name"}
                other: registry.example.com/group/app:1.0.0 # {"$imagepolicy": "flux-system:empty"}
                plain: registry.example.com/group/app:1.0.0 # a comment, not a marker
            """, text);
        Assert.Equal([5, 6, 8, 9], changes.Select(c => c.Line));
        Assert.Equal(("1.0.0", "1.1.0"), (changes[2].OldValue, changes[2].NewValue));
        Assert.All(changes, c => Assert.Equal("flux-system:app", c.Policy));
    }

    [Fact]
    public void An_up_to_date_or_malformed_marker_changes_nothing()
    {
        const string manifest = "image: registry.example.com/group/app:1.1.0 # {\"$imagepolicy\": \"flux-system:app\"}\r\nimage: x:1 # {\"$imagepolicy\": \"app\"}\r\n";
        var (text, changes) = ImageSetters.Apply(manifest, Latest);
        Assert.Same(manifest, text);
        Assert.Empty(changes);
    }
}
