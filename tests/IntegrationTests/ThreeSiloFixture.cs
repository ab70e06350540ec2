namespace MultiAgentRec.IntegrationTests;

/// <summary>A 3-silo in-process cluster, for the promise that a run's figures do not depend on how many silos play it.</summary>
public sealed class ThreeSiloFixture() : InProcessClusterFixture(3);

[CollectionDefinition(Name)]
public sealed class ThreeSiloCollection : ICollectionFixture<ThreeSiloFixture>
{
    public const string Name = "three-silos";
}
