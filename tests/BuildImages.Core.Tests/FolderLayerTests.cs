using BuildImages.Core.Build;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Xunit.Abstractions;

namespace BuildImages.Core.Tests;

/// <summary>
/// The engine's folders are layers: no folder reaches another that reaches it back, directly or through others.
/// The graph is read from the compiled assembly (every type a folder's code names in a signature, a base type, an
/// attribute or an instruction, lambdas and iterators counted with the type that wrote them), so a reference the
/// compiler sees cannot hide from it the way it could from a text search.
/// </summary>
public sealed class FolderLayerTests(ITestOutputHelper output)
{
    private const string Root = "BuildImages.Core";

    [Fact]
    public void NoTwoFoldersReachEachOther()
    {
        var graph = FolderGraph(typeof(BatchBuilder).Assembly.Location);
        Assert.True(graph.Count >= 15, $"only {graph.Count} folders found: the graph was not read");
        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).ToList();
        Assert.True(cycles.Count == 0, string.Join("\n", cycles.Select(c => Describe(c, graph))));

        // The layers, lowest first (a folder's layer is one above the highest folder it names), for docs/architecture.md.
        var layer = new Dictionary<string, int>(StringComparer.Ordinal);
        int Layer(string folder) => layer.TryGetValue(folder, out var l) ? l
            : layer[folder] = 1 + (graph.TryGetValue(folder, out var e) ? e.Keys.Select(Layer).DefaultIfEmpty(-1).Max() : -1);
        foreach (var group in graph.Keys.GroupBy(Layer).OrderBy(g => g.Key))
        {
            output.WriteLine($"{group.Key}: {string.Join(", ", group.Order(StringComparer.Ordinal))}");
        }
    }

    [Fact]
    public void TheGraphSeesAReferenceInAMethodBody()
    {
        // The check must be able to fail: the builder (Build) names the planner (Planning) only inside method bodies
        // and signatures, and that edge must be in the graph, while no Primitives type names Build.
        var graph = FolderGraph(typeof(BatchBuilder).Assembly.Location);
        Assert.Contains("Planning", graph["Build"].Keys);
        Assert.DoesNotContain("Build", graph["Primitives"].Keys);
        Assert.DoesNotContain(StronglyConnected(new Dictionary<string, Dictionary<string, SortedSet<string>>>
        {
            ["A"] = new() { ["B"] = [] },
            ["B"] = [],
        }), c => c.Count > 1);
        Assert.Single(StronglyConnected(new Dictionary<string, Dictionary<string, SortedSet<string>>>
        {
            ["A"] = new() { ["B"] = [] },
            ["B"] = new() { ["C"] = [] },
            ["C"] = new() { ["A"] = [] },
        }), c => c.Count == 3);
    }

    private static string Describe(List<string> cycle, Dictionary<string, Dictionary<string, SortedSet<string>>> graph) =>
        "folders that reach each other: " + string.Join(", ", cycle) + "\n" + string.Join("\n",
            from source in cycle
            from edge in graph[source]
            where cycle.Contains(edge.Key)
            select $"  {source} -> {edge.Key}: {string.Join(", ", edge.Value.Take(6))}");

    /// <summary>Folder → folder it names → the type names that make the edge.</summary>
    private static Dictionary<string, Dictionary<string, SortedSet<string>>> FolderGraph(string assemblyPath)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var graph = new Dictionary<string, Dictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
        foreach (var type in module.GetTypes())
        {
            if (FolderOf(type) is not { } from)
            {
                continue;
            }
            var edges = graph.TryGetValue(from, out var e) ? e : graph[from] = new(StringComparer.Ordinal);
            foreach (var named in Named(type))
            {
                if (named.Scope == module && FolderOf(named) is { } to && to != from)
                {
                    (edges.TryGetValue(to, out var why) ? why : edges[to] = new(StringComparer.Ordinal)).Add(Outermost(named).Name);
                }
            }
        }
        return graph;
    }

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }
        return type;
    }

    private static string? FolderOf(TypeReference type)
    {
        var ns = Outermost(type.GetElementType()).Namespace;
        return ns == Root ? "(root)" : ns.StartsWith(Root + ".", StringComparison.Ordinal) ? ns[(Root.Length + 1)..].Split('.')[0] : null;
    }

    private static IEnumerable<TypeReference> Named(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? t)
        {
            switch (t)
            {
                case null:
                    return;
                case GenericInstanceType g:
                    Add(g.ElementType);
                    g.GenericArguments.ToList().ForEach(Add);
                    return;
                case TypeSpecification s:
                    Add(s.ElementType);
                    return;
                default:
                    found.Add(t);
                    return;
            }
        }
        void AddMember(MemberReference? m)
        {
            switch (m)
            {
                case TypeReference t:
                    Add(t);
                    break;
                case MethodReference method:
                    Add(method.DeclaringType);
                    Add(method.ReturnType);
                    method.Parameters.ToList().ForEach(p => Add(p.ParameterType));
                    if (method is GenericInstanceMethod gm)
                    {
                        gm.GenericArguments.ToList().ForEach(Add);
                    }
                    break;
                case FieldReference field:
                    Add(field.DeclaringType);
                    Add(field.FieldType);
                    break;
            }
        }
        void AddAttributes(ICustomAttributeProvider p)
        {
            foreach (var a in p.CustomAttributes)
            {
                AddMember(a.Constructor);
                a.ConstructorArguments.Select(x => x.Value).OfType<TypeReference>().ToList().ForEach(Add);
            }
        }
        Add(type.BaseType);
        type.Interfaces.ToList().ForEach(i => Add(i.InterfaceType));
        AddAttributes(type);
        foreach (var field in type.Fields)
        {
            Add(field.FieldType);
            AddAttributes(field);
        }
        foreach (var property in type.Properties)
        {
            Add(property.PropertyType);
            AddAttributes(property);
        }
        foreach (var method in type.Methods)
        {
            AddMember(method);
            AddAttributes(method);
            if (!method.HasBody)
            {
                continue;
            }
            method.Body.Variables.ToList().ForEach(v => Add(v.VariableType));
            foreach (var instruction in method.Body.Instructions)
            {
                AddMember(instruction.Operand as MemberReference);
            }
            method.Body.ExceptionHandlers.Where(h => h.HandlerType == ExceptionHandlerType.Catch).ToList().ForEach(h => Add(h.CatchType));
        }
        return found;
    }

    /// <summary>Tarjan's strongly connected components of the folder graph.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, Dictionary<string, SortedSet<string>>> graph)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.TryGetValue(v, out var edges) ? edges.Keys : Enumerable.Empty<string>())
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }
            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                component.Sort(StringComparer.Ordinal);
                result.Add(component);
            }
        }
        foreach (var v in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(v))
            {
                Visit(v);
            }
        }
        return result;
    }
}
