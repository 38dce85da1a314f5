// The Pulumi program (Pulumi.yaml `main`). One stack per environment (`pulumi stack select prod`),
// and one `cluster` stack per cluster for what the environments on it share.
import { deployCluster } from './cluster-stack';
import { deployPlatform } from './platform-stack';
import { readStackSettings } from './stack-settings';

const settings = readStackSettings();
export = settings.kind === 'cluster' ? deployCluster(settings) : deployPlatform(settings);
