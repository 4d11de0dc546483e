namespace BuildImages.Core.Diagnostics;

/// <summary>
/// A place the user wrote something: a file and a 1-based line and column (0 when the file is known but not the place).
/// A configuration value carries one, so a mistake in it is reported where it was written, whichever file that is.
/// </summary>
public readonly record struct SourceLocation(string File, int Line, int Column);
