// The Pulumi program (Pulumi.yaml `main`). One stack per environment: `pulumi stack select prod`.
import { deployPlatform } from './platform-stack';

export = deployPlatform();
