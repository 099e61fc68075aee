// The manager area's "Setup" tab: the setup steps for a desk that is already running (enrolled, or
// the demo). setup.state needs a manager here, as every setup method does outside a setup session.
import { ErrorNote } from '../components/Notice';
import { useDesk, useLoad } from '../desk';
import { SetupWizard } from './SetupWizard';

export function SetupTab(props: { onDone(): void }) {
  const { call } = useDesk();
  const state = useLoad(() => call('setup.state', {}), []);
  if (state.error) return <ErrorNote message={state.error} onRetry={state.reload} />;
  if (!state.value) return null;
  return <SetupWizard initial={state.value} onDone={props.onDone} embedded />;
}
