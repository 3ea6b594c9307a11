/// The version of Ionics, written into every output file.
public enum IonicsVersion {
    public static let string = "0.1.0-dev"
}
