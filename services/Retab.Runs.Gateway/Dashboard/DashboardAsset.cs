namespace Retab.Runs.Gateway.Dashboard;

/// <summary>One file of the dashboard, read once from the assembly: its bytes, media type and a strong ETag.</summary>
public sealed record DashboardAsset(string Name, byte[] Content, string ContentType, string ETag);
