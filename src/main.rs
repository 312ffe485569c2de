fn main() {
    std::process::exit(costshare::cli::main());
}
