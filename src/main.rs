fn main() -> std::process::ExitCode {
    rudder_inspect::cli::main()
}
