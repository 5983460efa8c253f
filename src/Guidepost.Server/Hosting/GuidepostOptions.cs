using Guidepost.Config;
using Guidepost.Config.Tenancy;

namespace Guidepost.Server.Hosting;

/// <summary>The <c>Guidepost</c> configuration section (appsettings.json, or environment variables such as
/// <c>GUIDEPOST__DATADIRECTORY</c>).</summary>
public sealed class GuidepostOptions
{
    public const string Section = "Guidepost";

    /// <summary>Where every embedded file lives; relative paths are taken from the working directory.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The URL(s) Kestrel listens on, separated by ';'. Loopback unless set otherwise.</summary>
    public string Listen { get; set; } = "http://127.0.0.1:5080";

    public ConfigStoreSettings ConfigStore { get; set; } = new();
    public EventStoreSettings EventStore { get; set; } = new();
    public BootstrapOptions Bootstrap { get; set; } = new();

    public string DataPath(string fileName) => Path.Combine(Path.GetFullPath(DataDirectory), fileName);
}

public sealed class ConfigStoreSettings
{
    public ConfigStoreProvider Provider { get; set; } = ConfigStoreProvider.Sqlite;

    /// <summary>Required for PostgreSQL; for SQLite defaults to <c>config.db</c> in the data directory.</summary>
    public string? ConnectionString { get; set; }
}

public sealed class EventStoreSettings
{
    /// <summary>fsync every commit (survives power loss) rather than only a process crash.</summary>
    public bool SynchronousFull { get; set; } = true;
}
