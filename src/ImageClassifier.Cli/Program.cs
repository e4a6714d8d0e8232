return ImageClassifier.Cli.CliApp.Run(args);
