namespace BuildImages.Tool.Serve;

/// <summary>What <c>dotnet build-images serve</c> was asked for.</summary>
internal sealed record ServeOptions
{
    internal required string ConfigFile { get; init; }

    /// <summary>Where Kestrel listens; loopback unless <see cref="AllowRemote"/>.</summary>
    internal IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:5080"];

    internal required HookAuth Auth { get; init; }

    /// <summary>Hooks without authentication: loopback only, for trying it out.</summary>
    internal bool NoAuth { get; init; }

    internal bool AllowRemote { get; init; }

    /// <summary>The largest hook body read, in bytes; a larger one is 413.</summary>
    internal long MaxBody { get; init; } = 1 << 20;

    /// <summary>Items that may wait for a render; past it a hook is 429.</summary>
    internal int Capacity { get; init; } = 1000;

    /// <summary>How long a hook waits for its render before it is answered 504 (the render goes on).</summary>
    internal TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    internal int Workers { get; init; }

    /// <summary>Connections Kestrel holds at once; more wait in the kernel's backlog.</summary>
    internal int MaxConnections { get; init; } = 256;

    /// <summary>Where the server says what failed on its side (the whole located error, which an answer to an unknown caller leaves out).</summary>
    internal Action<string> Log { get; init; } = line => Console.Error.WriteLine(line);

    /// <summary>The remote cache replicas share, over what the environment and the configuration say (tests set it); null: theirs.</summary>
    internal Core.Caching.RemoteCacheOptions? RemoteCache { get; init; }
}
