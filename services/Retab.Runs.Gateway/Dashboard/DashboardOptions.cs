namespace Retab.Runs.Gateway.Dashboard;

/// <summary>Settings of the browser dashboard (section <c>Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>Serve the dashboard at <c>/</c>; off, <c>/</c> answers the JSON 404 of any unknown path.</summary>
    public bool Enabled { get; set; } = true;
}
