/**
 * Wraps a plugin for Astro's Markdown processor (satteri) as an integration. Proofbook's
 * Markdown plugins are satteri mdast/hast plugins; under another processor the integration
 * warns with what the site loses instead of failing the build.
 */
import type { AstroConfig, AstroIntegration } from 'astro';

export interface MarkdownPluginIntegration {
  name: string;
  /** Which of satteri's plugin lists the plugin joins. */
  stage: 'mdastPlugins' | 'hastPlugins';
  plugin(config: AstroConfig): unknown;
  /** What the site loses without it, e.g. "evidence is linked, not embedded". */
  withoutIt: string;
}

export function markdownPluginIntegration({ name, stage, plugin, withoutIt }: MarkdownPluginIntegration): AstroIntegration {
  return {
    name,
    hooks: {
      'astro:config:setup': ({ config, logger }) => {
        const processor = config.markdown.processor as { name: string; options: Partial<Record<MarkdownPluginIntegration['stage'], unknown[]>> };
        const list = processor.name === 'satteri' ? processor.options[stage] : undefined;
        if (!list) {
          logger.warn(`Markdown processor "${processor.name}" is not supported: ${withoutIt}.`);
          return;
        }
        list.push(plugin(config));
      },
    },
  };
}
