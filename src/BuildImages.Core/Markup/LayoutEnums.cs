namespace BuildImages.Core.Markup;

internal enum StackDirection { Column, Row }

/// <summary>Cross-axis placement of a stack's children.</summary>
internal enum CrossAlign { Start, Center, End, Stretch }

/// <summary>Main-axis distribution of a stack's children.</summary>
internal enum MainJustify { Start, Center, End, SpaceBetween, SpaceAround, SpaceEvenly }

/// <summary>Horizontal text alignment; start and end follow the paragraph's direction.</summary>
internal enum TextAlign { Start, Center, End, Justify }

/// <summary>Writing direction of a box: rows lay their children out right to left when it is RTL. Auto: from the first strong character of the box's text.</summary>
internal enum WritingDirection { Ltr, Rtl, Auto }

/// <summary>Vertical placement of text inside a taller box.</summary>
internal enum VerticalAlign { Top, Middle, Bottom }

/// <summary>How an image fills its box.</summary>
internal enum ImageFit { Cover, Contain, Fill }
