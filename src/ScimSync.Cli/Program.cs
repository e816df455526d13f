Console.WriteLine("scimsync");
