using Retab.Runs.Integration.Tests.Infrastructure;

namespace Retab.Runs.Integration.Tests.Faults;

/// <summary>How to create a <see cref="Workload"/> through the API, under a name that says what it holds (<c>echo-2000</c>).</summary>
public sealed record WorkloadRecipe(string Name, Func<Api, Task<Workload>> Create);
